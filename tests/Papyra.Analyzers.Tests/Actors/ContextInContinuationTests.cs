namespace Papyra.Analyzers.Tests.Actors;

public sealed class ContextInContinuationTests
{
    [Fact]
    public Task Reports_Context_and_Self_in_callbacks_that_run_later() =>
        Verify<ContextInContinuationAnalyzer>.AnalyzerAsync(Sources.Usings + """
            public sealed record Start;
            public sealed record Done;

            [Actor]
            public sealed partial class Worker : Actor
            {
                public event EventHandler? Changed;

                public void Handle(Start message, CancellationToken cancellationToken)
                {
                    _ = Task.Run(() => {|PAP1009:Self|}.Tell(new Done()));
                    _ = Task.Delay(10).ContinueWith(_ => {|PAP1009:Context|}.Watch({|PAP1009:Self|}));
                    _ = Task.Factory.StartNew(() => {|PAP1009:Self|});
                    ThreadPool.QueueUserWorkItem(_ => {|PAP1009:Self|}.Tell(new Done()));
                    var timer = new Timer(_ => {|PAP1009:Self|}.Tell(new Done()), null, 10, Timeout.Infinite);
                    cancellationToken.Register(() => {|PAP1009:Self|}.Tell(new Done()));
                    Changed += (_, _) => {|PAP1009:Self|}.Tell(new Done());
                    _ = Task.Run(async () => { await Task.Delay(1); {|PAP1009:this.Self|}.Tell(new Done()); });
                }
            }
            """);

    [Fact]
    public Task Accepts_Context_and_Self_in_the_handler_and_in_synchronous_lambdas() =>
        Verify<ContextInContinuationAnalyzer>.AnalyzerAsync(Sources.Usings + """
            public sealed record Start(List<ActorRef> Others);
            public sealed record Done;

            [Actor]
            public sealed partial class Worker : Actor
            {
                public async Task Handle(Start message)
                {
                    var self = Self;
                    await Task.Delay(10);
                    Self.Tell(new Done());
                    message.Others.ForEach(other => Context.Watch(other));
                    _ = Task.Run(() => self.Tell(new Done()));
                }
            }

            public static class Elsewhere
            {
                public static void Use(ActorContext context) => Task.Run(() => context.Self);
            }
            """);
}
