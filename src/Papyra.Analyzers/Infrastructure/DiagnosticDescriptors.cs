using System;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Papyra.Analyzers;

/// <summary>Every Papyra diagnostic descriptor, in one place. Help links are computed from the id.</summary>
internal static class DiagnosticDescriptors
{
    /// <summary>The assembly metadata key that carries <see cref="HelpLinkBase"/> (the MSBuild property PapyraDocsBaseUrl).</summary>
    public const string HelpLinkBaseKey = "PapyraDocsBaseUrl";

    /// <summary>
    /// Where the rule pages (docs/analyzers in the repository) are published; each rule's page is <c>{HelpLinkBase}{id}.md</c>.
    /// Set when the analyzers are built, from the MSBuild property <c>PapyraDocsBaseUrl</c> (by default derived from
    /// <c>RepositoryUrl</c> and the version's tag, see Directory.Build.props). Empty when no address is configured, and
    /// then rules carry no help link rather than one that does not resolve.
    /// </summary>
    public static string HelpLinkBase { get; } = ReadHelpLinkBase();

    /// <summary>Returns the help link of a rule.</summary>
    /// <param name="id">The rule id, e.g. <c>PAP0001</c>.</param>
    /// <returns>The address of the rule's documentation page, or empty when no docs address is configured.</returns>
    public static string HelpLink(string id) => HelpLinkBase.Length == 0 ? string.Empty : HelpLinkBase + id + ".md";

    /// <summary>Validates a configured docs address: an absolute http(s) address, completed with a trailing slash.</summary>
    /// <param name="configured">The configured value.</param>
    /// <returns>The base, or empty when unset or not an absolute http(s) address.</returns>
    public static string NormalizeHelpLinkBase(string? configured)
    {
        var value = configured?.Trim() ?? string.Empty;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return string.Empty;
        }

        return value.EndsWith("/", StringComparison.Ordinal) ? value : value + "/";
    }

    private static string ReadHelpLinkBase()
    {
        foreach (var attribute in typeof(DiagnosticDescriptors).Assembly.GetCustomAttributes(typeof(AssemblyMetadataAttribute), inherit: false))
        {
            if (attribute is AssemblyMetadataAttribute { Key: HelpLinkBaseKey } metadata)
            {
                return NormalizeHelpLinkBase(metadata.Value);
            }
        }

        return string.Empty;
    }

    /// <summary>PAP0001.</summary>
    public static readonly DiagnosticDescriptor InternalApiUsage = Create(
        DiagnosticIds.InternalApiUsage,
        "Do not use Papyra's internal APIs",
        "'{0}' is internal to Papyra ({1}) and must not be used outside Papyra's own assemblies",
        DiagnosticCategories.Contracts,
        DiagnosticSeverity.Error,
        "APIs marked [PapyraInternal] or declared in a Papyra.*.Internal namespace are public only so Papyra's own assemblies can share them. They have no compatibility promise and may change or disappear in any release.");

    /// <summary>PAP0002.</summary>
    public static readonly DiagnosticDescriptor NonPublicAccess = Create(
        DiagnosticIds.NonPublicAccess,
        "Do not reach Papyra's non-public members",
        "{0} reaches non-public members of Papyra ('{1}'); use the public API instead",
        DiagnosticCategories.Contracts,
        DiagnosticSeverity.Error,
        "Reflection with BindingFlags.NonPublic, [UnsafeAccessor] and [IgnoresAccessChecksTo] bypass Papyra's visibility. What they reach has no compatibility promise, can break the runtime's invariants and can change in any release.");

    /// <summary>PAP0003.</summary>
    public static readonly DiagnosticDescriptor ToolUsesNonAbstractions = Create(
        DiagnosticIds.ToolUsesNonAbstractions,
        "Papyra tools may use only Papyra.Abstractions",
        "'{0}' comes from {1}, but this assembly is a Papyra tool and may use only Papyra.Abstractions",
        DiagnosticCategories.Contracts,
        DiagnosticSeverity.Error,
        "An assembly marked as a tool ([assembly: PapyraTool] or the MSBuild property PapyraTool=true) promises to depend only on Papyra's stable contracts, so it keeps working across runtime releases and against any backend.");

    /// <summary>PAP0004.</summary>
    public static readonly DiagnosticDescriptor UnknownMetricKey = Create(
        DiagnosticIds.UnknownMetricKey,
        "Metric keys must be generated metric names",
        "\"{0}\" is not a Papyra metric name{1}",
        DiagnosticCategories.Contracts,
        DiagnosticSeverity.Error,
        "Metric names are generated from one schema. A key typed by hand compiles, but a misspelt one throws KeyNotFoundException or silently reads nothing at run time. Use the generated constant.");

    /// <summary>PAP1001.</summary>
    public static readonly DiagnosticDescriptor ActorNotPartial = Create(
        DiagnosticIds.ActorNotPartial,
        "Actor classes must be partial",
        "'{0}' must be declared partial so the generator can add the message dispatch of actor '{1}'",
        DiagnosticCategories.ActorDesign,
        DiagnosticSeverity.Error,
        "The Papyra generator emits the message dispatch of an [Actor] class into another part of the same class, so the class and every type containing it must be partial. Without 'partial' no dispatch is generated and every message goes to dead letters.");

    /// <summary>PAP1002.</summary>
    public static readonly DiagnosticDescriptor ActorNotDerivingActor = Create(
        DiagnosticIds.ActorNotDerivingActor,
        "Actor classes must derive from Papyra.Actor",
        "Class '{0}' is marked [Actor] but does not derive from Papyra.Actor",
        DiagnosticCategories.ActorDesign,
        DiagnosticSeverity.Error,
        "The runtime can spawn, supervise and dispatch to a class only when it derives from Papyra.Actor.");

    /// <summary>PAP1003.</summary>
    public static readonly DiagnosticDescriptor InvalidHandler = Create(
        DiagnosticIds.InvalidHandler,
        "Public actor methods must be valid handlers",
        "Public method '{0}' of actor '{1}' is not a valid handler: {2}",
        DiagnosticCategories.ActorDesign,
        DiagnosticSeverity.Error,
        "Every public instance method of an [Actor] class is a message handler. A handler takes one message parameter (plus an optional CancellationToken), is not generic, has no ref/out/in parameters and returns void, T, Task, Task<T>, ValueTask or ValueTask<T>. Make other methods non-public.");

    /// <summary>PAP1004.</summary>
    public static readonly DiagnosticDescriptor DuplicateHandler = Create(
        DiagnosticIds.DuplicateHandler,
        "An actor has one handler per message type",
        "Handler '{0}' of actor '{1}' handles '{2}', which '{3}' already handles",
        DiagnosticCategories.ActorDesign,
        DiagnosticSeverity.Error,
        "Dispatch is a switch on the message type: two handlers for the same type make it ambiguous which one runs.");

    /// <summary>PAP1005.</summary>
    public static readonly DiagnosticDescriptor ActorCreatedWithNew = Create(
        DiagnosticIds.ActorCreatedWithNew,
        "Spawn actors instead of creating them with new",
        "Actor '{0}' is created with 'new'; spawn it with ActorSystem.Spawn or Context.SpawnChild",
        DiagnosticCategories.ActorDesign,
        DiagnosticSeverity.Error,
        "An actor created with 'new' has no mailbox, no address, no Context and no supervisor: nothing can send it a message. 'new' is allowed only as the body of a factory lambda (a delegate that returns an actor), which is how Spawn receives factories.");

    /// <summary>PAP1006.</summary>
    public static readonly DiagnosticDescriptor AsyncVoidHandler = Create(
        DiagnosticIds.AsyncVoidHandler,
        "Actor handlers must not be async void",
        "'{0}' of actor '{1}' is async void; return Task so the actor awaits it and sees its failures",
        DiagnosticCategories.ActorDesign,
        DiagnosticSeverity.Error,
        "The actor cannot await an async void method: the next message starts while it still runs, breaking one-message-at-a-time processing, and its exceptions bypass supervision and can crash the process.");

    /// <summary>PAP1007.</summary>
    public static readonly DiagnosticDescriptor BlockingCallInHandler = Create(
        DiagnosticIds.BlockingCallInHandler,
        "Do not block inside actor handlers",
        "'{0}' blocks the thread inside '{1}'; await instead",
        DiagnosticCategories.ActorDesign,
        DiagnosticSeverity.Warning,
        "Blocking a handler (Thread.Sleep, .Result, .Wait(), GetAwaiter().GetResult()) holds a thread-pool thread and the actor's mailbox, starves other actors and can deadlock an Ask to the same actor.");

    /// <summary>PAP1008.</summary>
    public static readonly DiagnosticDescriptor MutableMessageType = Create(
        DiagnosticIds.MutableMessageType,
        "Message types should be immutable",
        "Message type '{0}' of handler '{1}' is mutable: {2}",
        DiagnosticCategories.ActorDesign,
        DiagnosticSeverity.Warning,
        "A message is shared between the sender and the receiving actor, which run concurrently. A mutable message is shared mutable state: use records with init-only properties or readonly fields.");

    /// <summary>PAP1009.</summary>
    public static readonly DiagnosticDescriptor ContextInContinuation = Create(
        DiagnosticIds.ContextInContinuation,
        "Do not use Context or Self in continuations",
        "'{0}' is used in a {1} that may run after '{2}' returned; copy what you need into a local before it, or send a message to Self instead",
        DiagnosticCategories.ActorDesign,
        DiagnosticSeverity.Warning,
        "Context and Self belong to the message being processed. A lambda given to Task.Run, ContinueWith, a timer, an event or a callback runs later, on another thread, possibly after a restart: it must not touch the actor's context.");

    /// <summary>PAP1010.</summary>
    public static readonly DiagnosticDescriptor ActorDeclaresReceive = Create(
        DiagnosticIds.ActorDeclaresReceive,
        "Actor classes must not declare ReceiveAsync",
        "Actor '{0}' declares its own ReceiveAsync, so no dispatch is generated for its public methods; remove [Actor] to dispatch by hand, or remove ReceiveAsync",
        DiagnosticCategories.ActorDesign,
        DiagnosticSeverity.Error,
        "[Actor] asks the generator for the message dispatch (a ReceiveAsync override calling the public handler methods). A hand-written ReceiveAsync in the same class would clash with it, so the generator emits nothing and the handlers are never called unless the hand-written dispatch calls them. Either let the generator dispatch or write the dispatch by hand without [Actor].");

    /// <summary>Every descriptor, for the registry tests.</summary>
    public static readonly DiagnosticDescriptor[] All =
    {
        InternalApiUsage, NonPublicAccess, ToolUsesNonAbstractions, UnknownMetricKey,
        ActorNotPartial, ActorNotDerivingActor, InvalidHandler, DuplicateHandler, ActorCreatedWithNew,
        AsyncVoidHandler, BlockingCallInHandler, MutableMessageType, ContextInContinuation, ActorDeclaresReceive,
    };

    private static DiagnosticDescriptor Create(string id, string title, string message, string category, DiagnosticSeverity severity, string description) =>
        new(id, title, message, category, severity, isEnabledByDefault: true, description: description, helpLinkUri: HelpLink(id));
}
