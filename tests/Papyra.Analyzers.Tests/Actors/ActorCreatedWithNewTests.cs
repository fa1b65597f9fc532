namespace Papyra.Analyzers.Tests.Actors;

public sealed class ActorCreatedWithNewTests
{
    private const string Counter = """
        [Actor]
        public sealed partial class Counter : Actor
        {
            public Counter() { }
            public Counter(int start) { }
        }

        """;

    [Fact]
    public Task Reports_new_of_an_actor_outside_a_factory_lambda() =>
        Verify<ActorCreatedWithNewAnalyzer>.AnalyzerAsync(Sources.Usings + Counter + """
            public static class Program
            {
                public static void Run(ActorSystem system)
                {
                    var counter = {|PAP1005:new Counter()|};
                    Actor boxed = {|PAP1005:new Counter(3)|};
                    Counter typed = {|PAP1005:new()|};
                    system.Spawn(() => { var made = {|PAP1005:new Counter()|}; return made; });
                    Func<object> untyped = () => {|PAP1005:new Counter()|};
                }

                public static Counter Make() => {|PAP1005:new Counter()|};
            }
            """);

    [Fact]
    public Task Accepts_new_as_the_result_of_a_factory_lambda() =>
        Verify<ActorCreatedWithNewAnalyzer>.AnalyzerAsync(Sources.Usings + Counter + """
            public sealed record Start;

            [Actor]
            public sealed partial class Parent : Actor
            {
                public void Handle(Start message) => Context.SpawnChild(() => new Counter(1), "child");
            }

            public static class Program
            {
                public static void Run(ActorSystem system)
                {
                    system.Spawn(() => new Counter());
                    system.Spawn(() => { return new Counter(2); });
                    Func<Counter> factory = () => new Counter(3);
                    Func<Actor> general = () => new Counter(4);
                    system.Spawn(factory, "counter");
                    var notAnActor = new Start();
                }
            }
            """);
}
