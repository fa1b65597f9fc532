namespace Papyra.Analyzers.Tests.Actors;

public sealed class AsyncVoidHandlerTests
{
    [Fact]
    public Task Reports_async_void_handlers_and_helpers_of_actors() =>
        Verify<AsyncVoidHandlerAnalyzer>.AnalyzerAsync(Sources.Usings + """
            public sealed record Increment(int By);

            [Actor]
            public sealed partial class Counter : Actor
            {
                public async void {|PAP1006:Handle|}(Increment message) => await Task.Yield();
                private async void {|PAP1006:Helper|}() => await Task.Yield();
            }
            """);

    [Fact]
    public Task Accepts_async_Task_and_async_void_outside_actors() =>
        Verify<AsyncVoidHandlerAnalyzer>.AnalyzerAsync(Sources.Usings + """
            public sealed record Increment(int By);

            [Actor]
            public sealed partial class Counter : Actor
            {
                public async Task Handle(Increment message) => await Task.Yield();
                public void Sync(string message) { }
            }

            public sealed class Window
            {
                public async void OnClick(object sender, EventArgs e) => await Task.Yield();
            }
            """);

    [Fact]
    public Task Fix_returns_Task() =>
        Verify<AsyncVoidHandlerAnalyzer>.CodeFixAsync<CodeFixes.AsyncVoidToAsyncTaskCodeFix>(
            Sources.Usings + """
            public sealed record Increment(int By);

            [Actor]
            public sealed partial class Counter : Actor
            {
                public async void {|PAP1006:Handle|}(Increment message)
                {
                    await Task.Yield();
                }
            }
            """,
            Sources.Usings + """
            public sealed record Increment(int By);

            [Actor]
            public sealed partial class Counter : Actor
            {
                public async Task Handle(Increment message)
                {
                    await Task.Yield();
                }
            }
            """);
}
