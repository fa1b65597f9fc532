namespace ActorComparison;

/// <summary>One actor framework running the harness scenarios. Each call builds and tears down its own actor system.</summary>
internal interface IFrameworkUnderTest
{
    string Name { get; }

    /// <summary>Exchanges <paramref name="messagesPerPair"/> messages inside each of <paramref name="pairs"/> actor pairs; returns elapsed seconds.</summary>
    Task<double> PingPongAsync(int pairs, int messagesPerPair);

    /// <summary><paramref name="producers"/> threads tell <paramref name="total"/> messages to one actor; returns seconds until it processed all.</summary>
    Task<double> FanInAsync(int producers, int total);

    /// <summary>One caller asks one actor <paramref name="count"/> times, sequentially; returns elapsed seconds.</summary>
    Task<double> RequestResponseAsync(int count);

    /// <summary>Spawns <paramref name="count"/> actors and stops them all; returns seconds until the last one stopped.</summary>
    Task<double> SpawnStopAsync(int count);

    /// <summary>Spawns <paramref name="count"/> idle actors and returns the managed heap growth per actor, in bytes.</summary>
    Task<double> BytesPerIdleActorAsync(int count);
}
