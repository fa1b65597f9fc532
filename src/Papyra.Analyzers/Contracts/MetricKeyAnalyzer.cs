using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Papyra.Analyzers;

/// <summary>
/// PAP0004: a string literal used as a key into a metrics dictionary (<c>snapshot.ToDictionary()</c> of a Papyra
/// <c>*Snapshot</c> type, directly or through a local initialised with it) must be one of the names of that
/// snapshot's schema: the constants of the generated <c>&lt;Stem&gt;MetricNames</c> class beside it
/// (<c>PersistenceMetricsSnapshot</c> → <c>PersistenceMetricNames</c>). Indexers, <c>TryGetValue</c>, <c>ContainsKey</c> and <c>GetValueOrDefault</c> are checked. When a
/// generated name is close to the literal, the diagnostic names it and the code fix replaces the literal with it.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MetricKeyAnalyzer : PapyraDiagnosticAnalyzer
{
    /// <summary>Diagnostic property: the metadata name of the type holding the suggested constant.</summary>
    public const string ConstantTypeProperty = "ConstantType";

    /// <summary>Diagnostic property: the name of the suggested constant.</summary>
    public const string ConstantNameProperty = "ConstantName";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.UnknownMetricKey);

    internal override void InitializeCompilation(CompilationStartAnalysisContext context, PapyraSymbols symbols)
    {
        var fallback = ConstantsOf(symbols.MetricNameTypes);
        var schemas = new ConcurrentDictionary<INamedTypeSymbol, Dictionary<string, IFieldSymbol>>(SymbolEqualityComparer.Default);
        var compilation = context.Compilation;

        // The names of a snapshot's schema: the generated <Stem>MetricNames class beside the snapshot type
        // (PersistenceMetricsSnapshot -> PersistenceMetricNames), else every well-known names class.
        Dictionary<string, IFieldSymbol> NamesOf(INamedTypeSymbol snapshot) => schemas.GetOrAdd(snapshot, s =>
        {
            var ns = s.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() + "." : string.Empty;
            var namesType = compilation.GetTypeByMetadataName(ns + Stem(s.Name) + "MetricNames");
            var names = namesType is null ? null : ConstantsOf(ImmutableArray.Create(namesType));
            return names is { Count: > 0 } ? names : fallback;
        });

        context.RegisterOperationAction(c => AnalyzeIndexer(c, NamesOf), OperationKind.PropertyReference);
        context.RegisterOperationAction(c => AnalyzeInvocation(c, NamesOf), OperationKind.Invocation);
    }

    private static Dictionary<string, IFieldSymbol> ConstantsOf(ImmutableArray<INamedTypeSymbol> types)
    {
        var names = new Dictionary<string, IFieldSymbol>(StringComparer.Ordinal);
        foreach (var type in types)
        {
            foreach (var member in type.GetMembers())
            {
                if (member is IFieldSymbol { IsConst: true, ConstantValue: string value } field && !names.ContainsKey(value))
                {
                    names.Add(value, field);
                }
            }
        }

        return names;
    }

    private static string Stem(string typeName)
    {
        foreach (var suffix in new[] { "MetricsSnapshot", "Snapshot" })
        {
            if (typeName.Length > suffix.Length && typeName.EndsWith(suffix, StringComparison.Ordinal))
            {
                return typeName.Substring(0, typeName.Length - suffix.Length);
            }
        }

        return typeName;
    }

    private static void AnalyzeIndexer(OperationAnalysisContext context, Func<INamedTypeSymbol, Dictionary<string, IFieldSymbol>> namesOf)
    {
        var reference = (IPropertyReferenceOperation)context.Operation;
        if (reference.Property.IsIndexer && reference.Arguments.Length == 1 && reference.Instance is { } instance && MetricsSnapshotOf(instance) is { } snapshot)
        {
            Check(context, reference.Arguments[0].Value, namesOf(snapshot));
        }
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, Func<INamedTypeSymbol, Dictionary<string, IFieldSymbol>> namesOf)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (invocation.TargetMethod.Name is not ("TryGetValue" or "ContainsKey" or "GetValueOrDefault"))
        {
            return;
        }

        IOperation? receiver;
        IOperation? key;
        if (invocation.Instance is not null)
        {
            receiver = invocation.Instance;
            key = invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null;
        }
        else if (invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 1)
        {
            receiver = invocation.Arguments[0].Value;
            key = invocation.Arguments[1].Value;
        }
        else
        {
            return;
        }

        if (key is not null && MetricsSnapshotOf(receiver) is { } snapshot)
        {
            Check(context, key, namesOf(snapshot));
        }
    }

    private static void Check(OperationAnalysisContext context, IOperation key, Dictionary<string, IFieldSymbol> names)
    {
        while (key is IConversionOperation conversion)
        {
            key = conversion.Operand;
        }

        if (names.Count == 0 || key is not ILiteralOperation { ConstantValue: { HasValue: true, Value: string literal } } || names.ContainsKey(literal))
        {
            return;
        }

        var properties = ImmutableDictionary<string, string?>.Empty;
        var suggestion = string.Empty;
        if (Closest(literal, names) is { } closest)
        {
            var type = closest.ContainingType;
            properties = properties
                .Add(ConstantTypeProperty, type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))
                .Add(ConstantNameProperty, closest.Name);
            suggestion = $"; did you mean {type.Name}.{closest.Name} (\"{closest.ConstantValue}\")?";
        }

        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnknownMetricKey, key.Syntax.GetLocation(), properties, literal, suggestion));
    }

    // The snapshot type whose ToDictionary() produced this dictionary, directly or through a local initialised with it.
    private static INamedTypeSymbol? MetricsSnapshotOf(IOperation operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        switch (operation)
        {
            case IInvocationOperation invocation:
                return IsSnapshotToDictionary(invocation.TargetMethod) ? invocation.TargetMethod.ContainingType : null;
            case ILocalReferenceOperation local when operation.SemanticModel is { } model:
                foreach (var reference in local.Local.DeclaringSyntaxReferences)
                {
                    if (reference.GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: { } value }
                        && value.SyntaxTree == model.SyntaxTree
                        && model.GetOperation(value) is { } initializer
                        && MetricsSnapshotOf(initializer) is { } snapshot)
                    {
                        return snapshot;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static bool IsSnapshotToDictionary(IMethodSymbol method) =>
        method.Name == "ToDictionary"
        && method.ContainingType is { } type
        && type.Name.EndsWith("Snapshot", StringComparison.Ordinal)
        && PapyraSymbols.IsFromPapyra(type);

    private static IFieldSymbol? Closest(string literal, Dictionary<string, IFieldSymbol> names)
    {
        IFieldSymbol? best = null;
        var bestDistance = int.MaxValue;
        var normalized = literal.Trim().Replace('-', '_').Replace(' ', '_').Replace('.', '_').ToLowerInvariant();
        foreach (var pair in names)
        {
            var distance = Levenshtein(normalized, pair.Key);
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = pair.Value;
            }
        }

        // Close enough to be a misspelling: at most a third of the name, and never more than 3 edits.
        return best is not null && bestDistance <= Math.Min(3, Math.Max(1, ((string)best.ConstantValue!).Length / 3)) ? best : null;
    }

    private static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
