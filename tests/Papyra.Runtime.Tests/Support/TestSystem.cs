using Microsoft.Extensions.Time.Testing;

namespace Papyra.Runtime.Tests.Support;

internal static class TestSystem
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public static async Task<ActorSystem> StartAsync(ActorSystemOptions? options = null)
    {
        var system = new ActorSystem(options);
        await system.StartAsync();
        return system;
    }

    public static FakeTimeProvider FakeClock() => new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    public static Task<TEvent> Next<TEvent>(this ActorSystem system, ActorRef actor, long after = 0)
        where TEvent : ActorEvent
        => system.WaitForEventAsync<TEvent>(e => e.Address == actor.Address && e.Sequence > after, Wait);

    public static Task<ActorStopped> Stopped(this ActorSystem system, ActorRef actor) => system.Next<ActorStopped>(actor);

    public static async Task<T> Within<T>(this Task<T> task) => await task.WaitAsync(Wait);

    public static async Task Within(this Task task) => await task.WaitAsync(Wait);

    public static async Task<T> Within<T>(this ValueTask<T> task) => await task.AsTask().WaitAsync(Wait);
}
