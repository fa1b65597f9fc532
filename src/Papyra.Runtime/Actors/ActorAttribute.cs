namespace Papyra;

/// <summary>
/// Marks a <see langword="partial"/> class deriving from <see cref="Actor"/> whose message dispatch
/// is generated: every public method taking one message parameter (plus an optional
/// <see cref="CancellationToken"/>) becomes a handler, and the generator overrides
/// <see cref="Actor.ReceiveAsync(object, CancellationToken)"/> with a type switch over them.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class ActorAttribute : Attribute
{
}
