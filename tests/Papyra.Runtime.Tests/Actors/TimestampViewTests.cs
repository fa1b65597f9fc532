using Papyra.Runtime.Tests.Support;

namespace Papyra.Runtime.Tests.Actors;

/// <summary>Events, dead letters and audits carry Unix-second timestamps from the system's clock, and the same instant as a <see cref="DateTimeOffset"/>.</summary>
public sealed class TimestampViewTests
{
    [Fact]
    public async Task Events_dead_letters_and_audits_show_the_system_clocks_instant()
    {
        var clock = TestSystem.FakeClock();
        await using ActorSystem system = await TestSystem.StartAsync(new ActorSystemOptions { TimeProvider = clock });

        ActorRef actor = system.Spawn<SilentActor>();
        ActorStarted started = await system.Next<ActorStarted>(actor);
        Assert.Equal(clock.GetUtcNow(), started.Time);

        clock.Advance(TimeSpan.FromMilliseconds(1500));
        Assert.Equal(clock.GetUtcNow(), system.Audit().Time);

        system.Stop(actor);
        await system.Stopped(actor);
        actor.Tell("late");
        DeadLetter letter = Assert.Single(system.GetRecentDeadLetters());
        Assert.Equal(clock.GetUtcNow(), letter.Time);
    }
}
