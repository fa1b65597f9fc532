using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Papyra.Analyzers;

/// <summary>
/// PAP1003: every public instance method of an <c>[Actor]</c> class is a handler, so it must have a
/// handler's shape (one message parameter plus an optional CancellationToken, not generic, no by-ref).
/// Overrides of <c>Actor</c>'s members and interface implementations are not handlers.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InvalidHandlerAnalyzer : PapyraDiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.InvalidHandler);

    internal override void InitializeCompilation(CompilationStartAnalysisContext context, PapyraSymbols symbols)
    {
        if (!symbols.HasActors)
        {
            return;
        }

        context.RegisterSymbolAction(
            c =>
            {
                var method = (IMethodSymbol)c.Symbol;
                if (ActorFacts.IsHandlerCandidate(method, symbols) && ActorFacts.InvalidHandlerReason(method, symbols) is { } reason)
                {
                    c.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidHandler, ActorFacts.NameLocation(method), method.Name, method.ContainingType.Name, reason));
                }
            },
            SymbolKind.Method);
    }
}
