namespace Papyra.Analyzers.Tests;

/// <summary>
/// A stand-in for Papyra.Runtime while the real runtime is written: exactly the names the actor rules
/// target (SPEC §3: Actor, ActorAttribute, ActorContext, ActorRef, ActorSystem), compiled into an in-memory
/// assembly named <c>Papyra.Runtime</c>. Once Papyra.Runtime has these types, make
/// <see cref="TestReferences.RuntimeStub"/> the real assembly and delete this source.
/// </summary>
internal static class RuntimeStub
{
    /// <summary>The stub's source.</summary>
    public const string Source = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        namespace Papyra
        {
            [AttributeUsage(AttributeTargets.Class, Inherited = false)]
            public sealed class ActorAttribute : Attribute { }

            public abstract class Actor
            {
                protected ActorContext Context => throw new InvalidOperationException();
                protected ActorRef Self => throw new InvalidOperationException();
                protected internal virtual ValueTask ReceiveAsync(object message, CancellationToken cancellationToken) => default;
                protected internal virtual Task OnStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
                protected internal virtual Task OnStopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
                protected internal virtual object? OnChildFailure(ActorRef child, Exception exception) => null;
            }

            public sealed class ActorRef
            {
                public void Tell(object message) { }
                public Task<object?> AskAsync(object message, CancellationToken cancellationToken = default) => Task.FromResult<object?>(null);
            }

            public sealed class ActorContext
            {
                public ActorRef Self => throw new InvalidOperationException();
                public ActorRef Spawn<TActor>(Func<TActor> factory, string? name = null) where TActor : Actor => throw new InvalidOperationException();
                public void Watch(ActorRef other) { }
            }

            public sealed class ActorSystem
            {
                public ActorRef Spawn<TActor>(Func<TActor> factory, string? name = null) where TActor : Actor => throw new InvalidOperationException();
            }
        }
        """;
}
