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

    /// <summary>
    /// The independent lifecycle definition, on a fresh system with default settings: spawns
    /// <paramref name="count"/> actors and waits until every actor's start hook has run, then stops
    /// them all and waits until every stop hook has run.
    /// </summary>
    /// <returns>The seconds of each phase.</returns>
    Task<LifecycleTimes> SpawnThenStopAsync(int count);

    /// <summary>
    /// The independent fan-in definition, on one system with default settings: a warm-up of
    /// <paramref name="warmUpMessages"/> into a sink, then per sample a fresh sink,
    /// <paramref name="producers"/> dedicated threads started first and released together by one
    /// signal after a forced collection (see <see cref="ReleasedFanIn"/>).
    /// </summary>
    /// <returns>The seconds of each sample, from the release until the sink had every message.</returns>
    Task<double[]> ReleasedFanInAsync(int producers, int total, int warmUpMessages, int samples);
}

/// <summary>The two phases of one spawn-then-stop sample, in seconds.</summary>
internal readonly record struct LifecycleTimes(double Spawn, double Stop);
