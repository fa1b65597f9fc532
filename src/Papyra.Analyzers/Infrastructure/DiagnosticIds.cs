namespace Papyra.Analyzers;

/// <summary>
/// Every Papyra diagnostic id, in one registry. PAP0xxx are contract rules (errors), PAP1xxx actor design rules.
/// An id is never reused for another rule, even after the rule is removed.
/// </summary>
internal static class DiagnosticIds
{
    /// <summary>A <c>[PapyraInternal]</c> API or a <c>Papyra.*.Internal</c> namespace used outside Papyra.</summary>
    public const string InternalApiUsage = "PAP0001";

    /// <summary>Papyra's non-public members reached by reflection, <c>UnsafeAccessor</c> or <c>IgnoresAccessChecksTo</c>.</summary>
    public const string NonPublicAccess = "PAP0002";

    /// <summary>A tool assembly uses a Papyra assembly other than Papyra.Abstractions.</summary>
    public const string ToolUsesNonAbstractions = "PAP0003";

    /// <summary>A metric key string literal that is not one of the generated metric names.</summary>
    public const string UnknownMetricKey = "PAP0004";

    /// <summary>An <c>[Actor]</c> class that is not <c>partial</c>.</summary>
    public const string ActorNotPartial = "PAP1001";

    /// <summary>An <c>[Actor]</c> class that does not derive from <c>Papyra.Actor</c>.</summary>
    public const string ActorNotDerivingActor = "PAP1002";

    /// <summary>A public method of an actor that is not a valid handler.</summary>
    public const string InvalidHandler = "PAP1003";

    /// <summary>Two handlers of one actor for the same message type.</summary>
    public const string DuplicateHandler = "PAP1004";

    /// <summary>An actor created with <c>new</c> instead of <c>Spawn</c>.</summary>
    public const string ActorCreatedWithNew = "PAP1005";

    /// <summary>An <c>async void</c> handler or lifecycle method.</summary>
    public const string AsyncVoidHandler = "PAP1006";

    /// <summary>A blocking call inside a handler or lifecycle method.</summary>
    public const string BlockingCallInHandler = "PAP1007";

    /// <summary>A message type with mutable state.</summary>
    public const string MutableMessageType = "PAP1008";

    /// <summary><c>Context</c> or <c>Self</c> used in a continuation that may run after the handler returned.</summary>
    public const string ContextInContinuation = "PAP1009";

    /// <summary>An <c>[Actor]</c> class that declares its own <c>ReceiveAsync</c>, so no dispatch is generated.</summary>
    public const string ActorDeclaresReceive = "PAP1010";
}
