using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Papyra.Analyzers;

/// <summary>PAP1002: an <c>[Actor]</c> class must derive from <c>Papyra.Actor</c>.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ActorNotDerivingActorAnalyzer : PapyraDiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.ActorNotDerivingActor);

    internal override void InitializeCompilation(CompilationStartAnalysisContext context, PapyraSymbols symbols)
    {
        if (!symbols.HasActors)
        {
            return;
        }

        context.RegisterSymbolAction(
            c =>
            {
                var type = (INamedTypeSymbol)c.Symbol;
                if (ActorFacts.IsMarkedActor(type, symbols) && !ActorFacts.DerivesFromActor(type, symbols))
                {
                    c.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ActorNotDerivingActor, ActorFacts.NameLocation(type), type.Name));
                }
            },
            SymbolKind.NamedType);
    }
}
