using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Papyra.Analyzers;

/// <summary>PAP1001: an <c>[Actor]</c> class must be <c>partial</c> so the generator can add its dispatch.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ActorNotPartialAnalyzer : PapyraDiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.ActorNotPartial);

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
                if (type.TypeKind == TypeKind.Class && ActorFacts.IsMarkedActor(type, symbols) && !ActorFacts.IsPartial(type))
                {
                    c.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ActorNotPartial, ActorFacts.NameLocation(type), type.Name));
                }
            },
            SymbolKind.NamedType);
    }
}
