using Papyra.Generators.Tests.Actors.Running;

namespace Papyra.Generators.Tests.Actors;

/// <summary>Actors compiled with the generator and run in a real actor system, through their generated proxies.</summary>
public sealed class GeneratedDispatchTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly ActorSystem _system = new();

    public Task InitializeAsync() => _system.StartAsync();

    public Task DisposeAsync() => _system.DisposeAsync().AsTask();

    [Fact]
    public async Task Proxy_tells_void_handlers_and_asks_value_handlers()
    {
        TallyRef tally = _system.SpawnTally();

        tally.Add(new Add(2));
        tally.Add(new Add(3));

        Assert.Equal(5, await tally.GetAsync(new Total(), Timeout));
    }

    [Fact]
    public async Task Nullable_value_type_and_tuple_messages_reach_their_handlers()
    {
        GaugeRef gauge = _system.SpawnGauge();

        Assert.Equal("int 7", await gauge.Ref.AskAsync<string>(7, Timeout));
        Assert.Equal("reading 1.5", await gauge.Ref.AskAsync<string>(new Reading(1.5), Timeout));
        Assert.Equal("a=1", await gauge.Ref.AskAsync<string>(("a", 1), Timeout));
        Assert.Equal("int 8", await gauge.CountAsync(8, Timeout));
    }

    [Fact]
    public async Task Task_and_ValueTask_handlers_complete_before_the_next_message()
    {
        TallyRef tally = _system.SpawnTally();
        tally.Add(new Add(4));

        Assert.Equal("before=4", await tally.SnapshotAsync(new Snapshot("before"), Timeout));
        tally.Clear(new Clear());
        tally.Touch(new Touch());
        tally.Touch(new Touch());

        Assert.Equal(0, await tally.GetAsync(new Total(), Timeout));
        Assert.Equal(2, await tally.DescribeAsync(new Describe(), Timeout));
    }

    [Fact]
    public async Task Handler_exception_reaches_the_asker()
    {
        TallyRef tally = _system.SpawnTally();

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await tally.ExplodeAsync(new Fail("boom"), Timeout));

        Assert.Equal("boom", error.Message);
    }

    [Fact]
    public async Task Task_and_ValueTask_handlers_without_a_result_can_be_awaited_through_the_proxy()
    {
        TallyRef tally = _system.SpawnTally();
        tally.Add(new Add(4));

        // The awaitable twin of the tell completes only when the handler has: no ask needed to observe it.
        await tally.ClearAsync(new Clear(), Timeout);
        await tally.TouchAsync(new Touch(), Timeout);

        Assert.Equal(0, await tally.GetAsync(new Total(), Timeout));
        Assert.Equal(1, await tally.DescribeAsync(new Describe(), Timeout));
    }

    [Fact]
    public async Task A_failing_Task_handler_throws_to_the_awaiting_caller_while_its_tell_stays_fire_and_forget()
    {
        TallyRef tally = _system.SpawnTally(policy: SupervisionPolicy.Restart);

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await tally.RejectAsync(new Reject("no"), Timeout));
        Assert.Equal("no", error.Message);

        tally.Reject(new Reject("ignored"));
        ActorCrashed crashed = await _system.WaitForEventAsync<ActorCrashed>(e => e.Address == tally.Address && e.Error.Message == "ignored", Timeout);
        Assert.IsType<InvalidOperationException>(crashed.Error);
    }

    [Theory]
    [InlineData("UnitCircle")]
    [InlineData("Circle")]
    [InlineData("Shape")]
    [InlineData("IShape")]
    [InlineData("object")]
    public async Task Most_specific_handler_wins_in_a_message_hierarchy(string expected)
    {
        object message = expected switch
        {
            "UnitCircle" => new UnitCircle(),
            "Circle" => new Circle(2),
            "Shape" => new Square(3),
            "IShape" => new Triangle(),
            _ => "just text",
        };
        ClassifierRef classifier = _system.SpawnClassifier();

        Assert.Equal(expected, await classifier.Ref.AskAsync<string>(message, Timeout));
    }

    [Fact]
    public async Task Unmatched_message_goes_to_the_unhandled_path_as_a_dead_letter()
    {
        PickyRef picky = _system.SpawnPicky();

        await Assert.ThrowsAsync<UnhandledMessageException>(async () => await picky.Ref.AskAsync<object?>(new Nobody(), Timeout));

        Assert.Equal("accepted", await picky.AcceptAsync(new Add(1), Timeout));
        DeadLetter letter = Assert.Single(_system.GetRecentDeadLetters(), d => d.Message is Nobody);
        Assert.Equal(DeadLetterReason.Unhandled, letter.Reason);
        Assert.Equal(picky.Address, letter.Target);
    }

    [Fact]
    public async Task Derived_actor_handles_its_own_messages_and_falls_back_to_its_base_handlers()
    {
        LoudGreeterRef loud = _system.SpawnLoudGreeter();

        Assert.Equal("HEY", await loud.ShoutAsync(new Shout("hey"), Timeout));
        Assert.Equal("Hello, Ada", await loud.Ref.AskAsync<string>(new Hello("Ada"), Timeout));
    }

    [Fact]
    public async Task Generic_actor_gets_a_generic_proxy_and_spawn_extension()
    {
        ShelfRef<Item> shelf = _system.SpawnShelf<Item>();

        shelf.Put(new Item("a"));
        shelf.Put(new Item("b"));

        Assert.Equal(2, await shelf.CountAsync(new CountItems(), Timeout));
    }

    [Fact]
    public async Task Nested_actor_proxy_lives_beside_the_actor_and_spawns_from_a_factory()
    {
        Workshop.BenchRef bench = _system.SpawnBench(() => new Workshop.Bench(), name: "bench");

        Assert.Equal("working for Ada", await bench.WorkAsync(new Hello("Ada"), Timeout));
        Assert.Equal(bench, _system.RefForName("bench").AsBenchRef());
    }

    [Fact]
    public async Task Proxy_converts_to_the_untyped_reference_and_compares_by_address()
    {
        TallyRef tally = _system.SpawnTally("tally");

        ActorRef untyped = tally;

        Assert.Equal(tally.Address, untyped.Address);
        Assert.Equal(tally, new TallyRef(_system.RefForName("tally")));
        Assert.True(tally == new TallyRef(untyped));
        Assert.False(tally != new TallyRef(untyped));
        Assert.Equal(tally.GetHashCode(), new TallyRef(untyped).GetHashCode());
        Assert.Equal(0, await tally.GetAsync(new Total(), Timeout));
    }

    [Fact]
    public void Proxy_rejects_a_null_reference()
    {
        ArgumentNullException error = Assert.Throws<ArgumentNullException>(() => new TallyRef(null!));

        Assert.Equal("actorRef", error.ParamName);
    }
}
