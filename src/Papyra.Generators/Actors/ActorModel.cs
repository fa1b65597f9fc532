using Papyra.Generators.Common;
using Papyra.Shared.Actors;

namespace Papyra.Generators.Actors
{
    /// <summary>One message handler of an actor.</summary>
    /// <param name="MethodName">The handler method's name.</param>
    /// <param name="MessageType">The fully qualified message type, as written in a type pattern.</param>
    /// <param name="ReturnKind">The handler's return shape.</param>
    /// <param name="ResultType">The fully qualified result type for <see cref="HandlerReturnKind.Value"/>, <see cref="HandlerReturnKind.TaskOfT"/> and <see cref="HandlerReturnKind.ValueTaskOfT"/>; otherwise empty.</param>
    /// <param name="TakesCancellationToken">Whether the handler takes a <c>CancellationToken</c> after the message.</param>
    /// <param name="TypesArePublic">Whether the message and result types are public (otherwise the proxy method is internal).</param>
    /// <param name="TypesAreVisible">Whether the message and result types are visible outside the actor (otherwise the proxy leaves the handler out).</param>
    internal sealed record HandlerModel(
        string MethodName,
        string MessageType,
        HandlerReturnKind ReturnKind,
        string ResultType,
        bool TakesCancellationToken,
        bool TypesArePublic,
        bool TypesAreVisible)
    {
        /// <summary>Whether the handler produces a reply value.</summary>
        public bool HasResult => ReturnKind is HandlerReturnKind.Value or HandlerReturnKind.TaskOfT or HandlerReturnKind.ValueTaskOfT;
    }

    /// <summary>An <c>[Actor]</c> class and its handlers, most specific message type first.</summary>
    /// <param name="Actor">Where the actor is declared.</param>
    /// <param name="ReceiveIsProtectedInternal">Whether the override is <c>protected internal</c> (the actor lives in the runtime's own assembly) rather than <c>protected</c>.</param>
    /// <param name="FallsBackToBase">Whether unmatched messages go to a base class's receive (a base actor dispatches too) rather than straight to <c>Unhandled</c>.</param>
    /// <param name="ProxyAccessibility"><c>public</c>, <c>internal</c>, or empty when no proxy can be emitted (the actor is not visible outside its containers).</param>
    /// <param name="CanSpawnWithNew">Whether the actor is concrete with a public parameterless constructor (a <c>Spawn</c> overload without a factory).</param>
    /// <param name="CanSpawn">Whether the actor is concrete (a factory <c>Spawn</c> overload).</param>
    /// <param name="TypeParameterConstraints">The <c>where</c> clauses of the actor's type parameters, or empty.</param>
    /// <param name="Handlers">The handlers in dispatch order: a message type always precedes the types it derives from.</param>
    internal sealed record ActorModel(
        TypeShape Actor,
        bool ReceiveIsProtectedInternal,
        bool FallsBackToBase,
        string ProxyAccessibility,
        bool CanSpawnWithNew,
        bool CanSpawn,
        string TypeParameterConstraints,
        EquatableArray<HandlerModel> Handlers);
}
