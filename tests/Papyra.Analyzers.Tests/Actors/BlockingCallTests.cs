namespace Papyra.Analyzers.Tests.Actors;

public sealed class BlockingCallTests
{
    [Fact]
    public Task Reports_each_blocking_call_in_actor_methods() =>
        Verify<BlockingCallAnalyzer>.AnalyzerAsync(Sources.Usings + """
            public sealed record Work(Task<int> Pending, Task Done, ValueTask<int> Later);

            [Actor]
            public sealed partial class Worker : Actor
            {
                public int Handle(Work message)
                {
                    {|PAP1007:Thread.Sleep(10)|};
                    {|PAP1007:message.Done.Wait()|};
                    {|PAP1007:Task.WaitAll(message.Done)|};
                    var a = {|PAP1007:message.Pending.Result|};
                    var b = {|PAP1007:message.Pending.GetAwaiter().GetResult()|};
                    var c = {|PAP1007:message.Later.Result|};
                    var d = {|PAP1007:message.Pending.ConfigureAwait(false).GetAwaiter().GetResult()|};
                    return a + b + c + d;
                }

                protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
                {
                    {|PAP1007:Thread.Sleep(TimeSpan.FromMilliseconds(1))|};
                    return ValueTask.CompletedTask;
                }
            }
            """);

    [Fact]
    public Task Accepts_awaits_lambdas_and_code_outside_actors() =>
        Verify<BlockingCallAnalyzer>.AnalyzerAsync(Sources.Usings + """
            public sealed record Work(Task<int> Pending, Task Done);

            [Actor]
            public sealed partial class Worker : Actor
            {
                public async Task<int> Handle(Work message)
                {
                    await Task.Delay(10);
                    await message.Done;
                    _ = Task.Run(() => Thread.Sleep(10));
                    return await message.Pending;
                }
            }

            public static class NotAnActor
            {
                public static int Block(Task<int> task)
                {
                    Thread.Sleep(1);
                    return task.Result;
                }
            }
            """);

    [Fact]
    public Task Fix_turns_Thread_Sleep_into_await_Task_Delay_with_the_handlers_token() =>
        Verify<BlockingCallAnalyzer>.CodeFixAsync<CodeFixes.ThreadSleepToTaskDelayCodeFix>(
            Sources.Usings + """
            public sealed record Tick;

            [Actor]
            public sealed partial class Worker : Actor
            {
                public async Task Handle(Tick message, CancellationToken cancellationToken)
                {
                    {|PAP1007:Thread.Sleep(100)|};
                    await Task.Yield();
                }
            }
            """,
            Sources.Usings + """
            public sealed record Tick;

            [Actor]
            public sealed partial class Worker : Actor
            {
                public async Task Handle(Tick message, CancellationToken cancellationToken)
                {
                    await Task.Delay(100, cancellationToken);
                    await Task.Yield();
                }
            }
            """);

    [Fact]
    public Task Fix_makes_a_void_handler_async_Task() =>
        Verify<BlockingCallAnalyzer>.CodeFixAsync<CodeFixes.ThreadSleepToTaskDelayCodeFix>(
            Sources.Usings + """
            public sealed record Tick;

            [Actor]
            public sealed partial class Worker : Actor
            {
                public void Handle(Tick message)
                {
                    {|PAP1007:Thread.Sleep(100)|};
                }
            }
            """,
            Sources.Usings + """
            public sealed record Tick;

            [Actor]
            public sealed partial class Worker : Actor
            {
                public async Task Handle(Tick message)
                {
                    await Task.Delay(100);
                }
            }
            """);
}
