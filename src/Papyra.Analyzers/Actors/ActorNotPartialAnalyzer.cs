using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Papyra.Analyzers;

/// <summary>
/// PAP1001: an <c>[Actor]</c> class, and every type containing it, must be <c>partial</c> so the generator can add its
/// dispatch (the generated part repeats the containers). Each type that is not is reported on its own name.
/// </summary>
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
                if (type.TypeKind != TypeKind.Class || !ActorFacts.IsMarkedActor(type, symbols))
                {
                    return;
                }

                for (var current = type; current is not null; current = current.ContainingType)
                {
                    if (!ActorFacts.IsPartial(current))
                    {
                        c.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ActorNotPartial, ActorFacts.NameLocation(current), current.Name, type.Name));
                    }
                }
            },
            SymbolKind.NamedType);
    }
}
