using Papyra.Generators.Actors;
using Papyra.TestSupport;

namespace Papyra.Generators.Tests.Actors;

public sealed class ActorGeneratorTests
{
    public static TheoryData<string, string> RepresentativeActors => new()
    {
        { "AllHandlerShapes", ActorSources.AllHandlerShapes },
        { "MessageHierarchy", ActorSources.MessageHierarchy },
        { "GenericAndNested", ActorSources.GenericAndNested },
        { "DerivedActor", ActorSources.DerivedActor },
    };

    [Theory]
    [MemberData(nameof(RepresentativeActors))]
    public void Generated_actor_code_compiles_and_matches_the_approved_snapshots(string name, string source)
    {
        GeneratorOutput output = GeneratorHarness.Run(new ActorGenerator(), source).AssertCleanAndCompiles();

        Assert.NotEmpty(output.Files);
        foreach ((string hintName, string text) in output.Files)
        {
            Approvals.Verify($"generators/actors/{name}/{hintName}", text);
        }
    }

    [Fact]
    public void Dispatch_orders_cases_most_specific_message_type_first()
    {
        string dispatch = GeneratorHarness.Run(new ActorGenerator(), ActorSources.MessageHierarchy).Files["Papyra.Actors.Shapes.ShapeActor.Dispatch.g.cs"];

        string[] order = ["Messages.UnitCircle m", "Messages.Circle m", "Messages.Shape m", "Messages.IShape m", "case int m", "case object m"];
        int[] positions = [.. order.Select(o => dispatch.IndexOf(o, StringComparison.Ordinal))];
        Assert.All(positions, p => Assert.True(p >= 0));
        Assert.Equal(positions.Order(), positions);
    }

    [Fact]
    public void Only_public_instance_methods_with_one_message_and_an_optional_token_are_handlers()
    {
        string dispatch = GeneratorHarness.Run(new ActorGenerator(), ActorSources.AllHandlerShapes).Files["Papyra.Actors.Shop.Counter.Dispatch.g.cs"];

        Assert.Equal(6, dispatch.Split("case ").Length - 1);
        Assert.DoesNotContain("NotAHandler", dispatch, StringComparison.Ordinal);
    }

    [Fact]
    public void Proxy_has_tell_methods_for_handlers_without_result_and_ask_methods_for_handlers_with_one()
    {
        string proxy = GeneratorHarness.Run(new ActorGenerator(), ActorSources.AllHandlerShapes).Files["Papyra.Actors.Shop.Counter.Ref.g.cs"];

        Assert.Contains("public void Increment(global::Shop.Increment message) => Ref.Tell(message);", proxy, StringComparison.Ordinal);
        Assert.Contains("public void Reset(global::Shop.Reset message)", proxy, StringComparison.Ordinal);
        Assert.Contains("public void Ping(global::Shop.Ping message)", proxy, StringComparison.Ordinal);
        Assert.Contains("ValueTask<int> GetAsync(global::Shop.GetCount message, global::System.TimeSpan? timeout = null, global::System.Threading.CancellationToken cancellationToken = default)", proxy, StringComparison.Ordinal);
        Assert.Contains("ValueTask<long> SaveAsync(global::Shop.Save message,", proxy, StringComparison.Ordinal);
        Assert.Contains("ValueTask<string?> DescribeAsync(global::Shop.Describe message,", proxy, StringComparison.Ordinal);
    }

    [Fact]
    public void Derived_actor_falls_back_to_its_base_dispatch_and_base_actor_to_unhandled()
    {
        GeneratorOutput output = GeneratorHarness.Run(new ActorGenerator(), ActorSources.DerivedActor);

        Assert.Contains("return base.ReceiveAsync(message, cancellationToken);", output.Files["Papyra.Actors.Greetings.LoudGreeter.Dispatch.g.cs"], StringComparison.Ordinal);
        Assert.Contains("return Unhandled(message);", output.Files["Papyra.Actors.Greetings.Greeter.Dispatch.g.cs"], StringComparison.Ordinal);
    }

    [Fact]
    public void Generated_code_uses_no_reflection_and_no_dynamic()
    {
        foreach (string source in new[] { ActorSources.AllHandlerShapes, ActorSources.MessageHierarchy, ActorSources.GenericAndNested, ActorSources.DerivedActor })
        {
            foreach (string text in GeneratorHarness.Run(new ActorGenerator(), source).Files.Values)
            {
                Assert.DoesNotContain("System.Reflection", text, StringComparison.Ordinal);
                Assert.DoesNotContain("dynamic", text, StringComparison.Ordinal);
                Assert.DoesNotContain("GetType()", text, StringComparison.Ordinal);
                Assert.DoesNotContain("Activator", text, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData("not partial", """
        using Papyra;
        [Actor] public sealed class A : Actor { public void Handle(string m) { } }
        """)]
    [InlineData("not deriving Actor", """
        using Papyra;
        [Actor] public sealed partial class A { public void Handle(string m) { } }
        """)]
    [InlineData("hand-written ReceiveAsync", """
        using System.Threading;
        using System.Threading.Tasks;
        using Papyra;
        [Actor] public sealed partial class A : Actor
        {
            public void Handle(string m) { }
            protected override ValueTask<object?> ReceiveAsync(object message, CancellationToken cancellationToken) => Unhandled(message);
        }
        """)]
    [InlineData("ReceiveAsync hidden with new", """
        using System.Threading;
        using System.Threading.Tasks;
        using Papyra;
        [Actor] public sealed partial class A : Actor
        {
            public void Handle(string m) { }
            protected new ValueTask<object?> ReceiveAsync(object message, CancellationToken cancellationToken) => default;
        }
        """)]
    [InlineData("containing type not partial", """
        using Papyra;
        public static class Outer { [Actor] public sealed partial class A : Actor { public void Handle(string m) { } } }
        """)]
    [InlineData("attribute on a struct", """
        using Papyra;
        [Actor] public partial struct A { public void Handle(string m) { } }
        """)]
    [InlineData("unknown base type", """
        using Papyra;
        [Actor] public sealed partial class A : Missing { public void Handle(string m) { } }
        """)]
    public void Invalid_actor_is_skipped_silently_without_crashing(string shape, string source)
    {
        GeneratorOutput output = GeneratorHarness.Run(new ActorGenerator(), source);

        Assert.True(output.Exception is null, shape);
        Assert.Empty(output.GeneratorDiagnostics);
        Assert.Empty(output.Files);
    }

    [Fact]
    public void Source_with_syntax_errors_does_not_crash_the_generator()
    {
        GeneratorOutput output = GeneratorHarness.Run(new ActorGenerator(), """
            using Papyra;
            [Actor] public sealed partial class A : Actor { public void Handle(string m { }
            [Actor] public sealed partial class
            """);

        Assert.Null(output.Exception);
        Assert.Empty(output.GeneratorDiagnostics);
    }

    [Fact]
    public void Invalid_handlers_are_left_out_while_valid_ones_still_dispatch()
    {
        const string source = """
            using System.Threading;
            using Papyra;
            public sealed record A;
            [Actor]
            public sealed partial class Mixed : Actor
            {
                public void Valid(A message) { }
                public void Duplicate(A message) { }
                public void NullableValue(int? message) { }
                public void TwoTokens(A message, CancellationToken first, CancellationToken second) { }
                public void WrongSecond(string message, int notAToken) { }
                public void Missing(Unknown message) { }
            }
            """;

        GeneratorOutput output = GeneratorHarness.Run(new ActorGenerator(), source);

        Assert.Null(output.Exception);
        Assert.Empty(output.GeneratorDiagnostics);
        string dispatch = output.Files["Papyra.Actors.Mixed.Dispatch.g.cs"];
        Assert.Equal(2, dispatch.Split("case ").Length - 1);
        Assert.Contains("Valid(m0);", dispatch, StringComparison.Ordinal);

        // A nullable value type message is dispatched on its underlying type (it used to be skipped: a dead letter).
        Assert.Contains("case int m1:", dispatch, StringComparison.Ordinal);
        Assert.Contains("NullableValue(m1)", dispatch, StringComparison.Ordinal);
    }

    [Fact]
    public void Internal_actor_gets_an_internal_proxy_whose_methods_are_no_more_visible_than_their_types()
    {
        const string source = """
            using Papyra;
            namespace Mail;
            public sealed record Open;
            internal sealed record Secret;
            internal sealed record Answer;
            [Actor]
            internal sealed partial class Box : Actor
            {
                public void Handle(Open message) { }
                public void Whisper(Secret message) { }
                public Answer Ask(Open[] message) => new Answer();
            }
            """;

        GeneratorOutput output = GeneratorHarness.Run(new ActorGenerator(), source).AssertCleanAndCompiles();

        string proxy = output.Files["Papyra.Actors.Mail.Box.Ref.g.cs"];
        Assert.Contains("internal sealed class BoxRef", proxy, StringComparison.Ordinal);
        Assert.Contains("internal static class BoxActorExtensions", proxy, StringComparison.Ordinal);
        Assert.Contains("public void Handle(global::Mail.Open message)", proxy, StringComparison.Ordinal);
        Assert.Contains("internal void Whisper(global::Mail.Secret message)", proxy, StringComparison.Ordinal);
        Assert.Contains("internal global::System.Threading.Tasks.ValueTask<global::Mail.Answer> AskAsync(global::Mail.Open[] message", proxy, StringComparison.Ordinal);
    }

    [Fact]
    public void Actor_whose_proxy_name_is_taken_gets_dispatch_only()
    {
        const string source = """
            using Papyra;
            [Actor]
            public sealed partial class Clock : Actor { public void Tick(string message) { } }
            public sealed class ClockRef { }
            """;

        GeneratorOutput output = GeneratorHarness.Run(new ActorGenerator(), source).AssertCleanAndCompiles();

        Assert.Equal(["Papyra.Actors.Clock.Dispatch.g.cs"], output.Files.Keys);
    }

    [Fact]
    public void Private_nested_actor_gets_dispatch_but_no_proxy()
    {
        const string source = """
            using Papyra;
            public partial class Host
            {
                [Actor]
                private sealed partial class Secret : Actor { public void Handle(string m) { } }
            }
            """;

        GeneratorOutput output = GeneratorHarness.Run(new ActorGenerator(), source).AssertCleanAndCompiles();

        Assert.Equal(["Papyra.Actors.Host.Secret.Dispatch.g.cs"], output.Files.Keys);
    }

    [Fact]
    public void Abstract_actor_gets_a_proxy_without_spawn_extensions()
    {
        const string source = """
            using Papyra;
            namespace Zoo;
            public sealed record Feed;
            [Actor]
            public abstract partial class Animal : Actor { public void Eat(Feed food) { } }
            """;

        GeneratorOutput output = GeneratorHarness.Run(new ActorGenerator(), source).AssertCleanAndCompiles();

        string proxy = output.Files["Papyra.Actors.Zoo.Animal.Ref.g.cs"];
        Assert.Contains("public sealed class AnimalRef", proxy, StringComparison.Ordinal);
        Assert.DoesNotContain("SpawnAnimal", proxy, StringComparison.Ordinal);
    }
}
