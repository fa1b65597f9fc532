using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Papyra.Analyzers;

/// <summary>
/// Papyra's well-known symbols (and the BCL symbols the rules compare against), resolved once per
/// compilation. <see cref="TryCreate"/> returns null when the compilation does not reference Papyra.
/// </summary>
internal sealed class PapyraSymbols
{
    private readonly ConcurrentDictionary<ISymbol, bool> _internalCache = new(SymbolEqualityComparer.Default);

    private PapyraSymbols(Compilation compilation)
    {
        Compilation = compilation;
        InternalAttribute = compilation.GetTypeByMetadataName("Papyra.PapyraInternalAttribute");
        ToolAttribute = compilation.GetTypeByMetadataName("Papyra.PapyraToolAttribute");
        Actor = compilation.GetTypeByMetadataName("Papyra.Actor");
        ActorAttribute = compilation.GetTypeByMetadataName("Papyra.ActorAttribute");
        ActorContext = compilation.GetTypeByMetadataName("Papyra.ActorContext");
        ActorRef = compilation.GetTypeByMetadataName("Papyra.ActorRef");
        ActorSystem = compilation.GetTypeByMetadataName("Papyra.ActorSystem");

        var metricNameTypes = ImmutableArray.CreateBuilder<INamedTypeSymbol>();
        foreach (var name in MetricNameTypeNames)
        {
            if (compilation.GetTypeByMetadataName(name) is { } type)
            {
                metricNameTypes.Add(type);
            }
        }

        MetricNameTypes = metricNameTypes.ToImmutable();

        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
        Thread = compilation.GetTypeByMetadataName("System.Threading.Thread");
    }

    /// <summary>The types whose string constants are the generated metric names.</summary>
    public static readonly ImmutableArray<string> MetricNameTypeNames = ImmutableArray.Create(
        "Papyra.Persistence.PersistenceMetricNames",
        "Papyra.Metrics.RuntimeMetricNames");

    /// <summary>The compilation the symbols were resolved in.</summary>
    public Compilation Compilation { get; }

    /// <summary><c>Papyra.PapyraInternalAttribute</c> (Papyra.Abstractions).</summary>
    public INamedTypeSymbol? InternalAttribute { get; }

    /// <summary><c>Papyra.PapyraToolAttribute</c> (Papyra.Abstractions).</summary>
    public INamedTypeSymbol? ToolAttribute { get; }

    /// <summary><c>Papyra.Actor</c> (Papyra.Runtime).</summary>
    public INamedTypeSymbol? Actor { get; }

    /// <summary><c>Papyra.ActorAttribute</c> (Papyra.Runtime).</summary>
    public INamedTypeSymbol? ActorAttribute { get; }

    /// <summary><c>Papyra.ActorContext</c> (Papyra.Runtime).</summary>
    public INamedTypeSymbol? ActorContext { get; }

    /// <summary><c>Papyra.ActorRef</c> (Papyra.Runtime).</summary>
    public INamedTypeSymbol? ActorRef { get; }

    /// <summary><c>Papyra.ActorSystem</c> (Papyra.Runtime).</summary>
    public INamedTypeSymbol? ActorSystem { get; }

    /// <summary>The generated metric-name types that this compilation sees.</summary>
    public ImmutableArray<INamedTypeSymbol> MetricNameTypes { get; }

    /// <summary><c>System.Threading.Tasks.Task</c>.</summary>
    public INamedTypeSymbol? Task { get; }

    /// <summary><c>System.Threading.Tasks.Task&lt;T&gt;</c>.</summary>
    public INamedTypeSymbol? TaskOfT { get; }

    /// <summary><c>System.Threading.Tasks.ValueTask</c>.</summary>
    public INamedTypeSymbol? ValueTask { get; }

    /// <summary><c>System.Threading.Tasks.ValueTask&lt;T&gt;</c>.</summary>
    public INamedTypeSymbol? ValueTaskOfT { get; }

    /// <summary><c>System.Threading.CancellationToken</c>.</summary>
    public INamedTypeSymbol? CancellationToken { get; }

    /// <summary><c>System.Threading.Thread</c>.</summary>
    public INamedTypeSymbol? Thread { get; }

    /// <summary>Whether Papyra.Abstractions (the contracts) is visible to the compilation.</summary>
    public bool HasContracts => InternalAttribute is not null;

    /// <summary>Whether the actor model of Papyra.Runtime is visible to the compilation.</summary>
    public bool HasActors => Actor is not null && ActorAttribute is not null;

    /// <summary>Whether the compilation being analysed is one of Papyra's own assemblies.</summary>
    public bool IsPapyraCompilation => IsPapyraAssemblyName(Compilation.AssemblyName);

    /// <summary>Resolves the symbols, or returns null when Papyra is not referenced at all.</summary>
    /// <param name="compilation">The compilation.</param>
    /// <returns>The symbols, or null.</returns>
    public static PapyraSymbols? TryCreate(Compilation compilation)
    {
        var symbols = new PapyraSymbols(compilation);
        return symbols.HasContracts || symbols.Actor is not null ? symbols : null;
    }

    /// <summary>Whether an assembly name is one of Papyra's (<c>Papyra</c>, <c>Papyra.*</c>, or <c>papyra</c>: the CLI tool's).</summary>
    /// <param name="name">An assembly name.</param>
    /// <returns>True for Papyra's assemblies.</returns>
    public static bool IsPapyraAssemblyName(string? name) =>
        name is not null && (name == "Papyra" || name == "papyra" || name.StartsWith("Papyra.", StringComparison.Ordinal));

    /// <summary>Whether a symbol is declared in one of Papyra's assemblies.</summary>
    /// <param name="symbol">The symbol.</param>
    /// <returns>True when its containing assembly is Papyra's.</returns>
    public static bool IsFromPapyra(ISymbol? symbol) => IsPapyraAssemblyName(symbol?.ContainingAssembly?.Name);

    /// <summary>
    /// Whether a symbol is internal to Papyra: declared in a Papyra assembly and marked <c>[PapyraInternal]</c>
    /// (itself or a containing type) or declared in a <c>Papyra.*.Internal</c> namespace.
    /// </summary>
    /// <param name="symbol">The symbol (a type or a member; constructed symbols are reduced to their definition).</param>
    /// <param name="reason">Why it is internal, for the message.</param>
    /// <param name="throughContainingType">True when only a containing type (or namespace) makes it internal.</param>
    /// <returns>True when internal.</returns>
    public bool IsPapyraInternal(ISymbol symbol, out string reason, out bool throughContainingType)
    {
        reason = string.Empty;
        throughContainingType = false;
        symbol = symbol.OriginalDefinition;
        if (!IsFromPapyra(symbol))
        {
            return false;
        }

        if (IsInInternalNamespace(symbol.ContainingNamespace ?? (symbol as INamespaceSymbol)))
        {
            reason = "namespace " + symbol.ContainingNamespace!.ToDisplayString();
            throughContainingType = symbol is not ITypeSymbol;
            return true;
        }

        for (var current = symbol; current is not null; current = current.ContainingType)
        {
            if (HasInternalAttribute(current))
            {
                reason = "marked [PapyraInternal]";
                throughContainingType = !SymbolEqualityComparer.Default.Equals(current, symbol);
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a namespace is <c>Papyra.*.Internal</c> or nested in one.</summary>
    /// <param name="ns">The namespace.</param>
    /// <returns>True for an internal namespace.</returns>
    public static bool IsInInternalNamespace(INamespaceSymbol? ns)
    {
        var parts = new List<string>();
        for (var current = ns; current is { IsGlobalNamespace: false }; current = current.ContainingNamespace)
        {
            parts.Add(current.Name);
        }

        // parts are innermost first; the outermost must be Papyra and any segment after it "Internal".
        var internalIndex = parts.IndexOf("Internal");
        return parts.Count >= 2 && parts[parts.Count - 1] == "Papyra" && internalIndex >= 0 && internalIndex < parts.Count - 1;
    }

    private bool HasInternalAttribute(ISymbol symbol)
    {
        if (InternalAttribute is null)
        {
            return false;
        }

        return _internalCache.GetOrAdd(symbol, s =>
        {
            foreach (var attribute in s.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, InternalAttribute))
                {
                    return true;
                }
            }

            return false;
        });
    }
}
