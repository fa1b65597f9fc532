using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Papyra.Shared.Actors;

namespace Papyra.Analyzers;

/// <summary>
/// PAP1010: an <c>[Actor]</c> class that declares its own <c>ReceiveAsync</c> gets no generated dispatch (the generator
/// would clash with it), so its public methods would silently stop being handlers. Reported on the actor's name.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ActorDeclaresReceiveAnalyzer : PapyraDiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.ActorDeclaresReceive);

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
                if (type.TypeKind == TypeKind.Class && ActorFacts.IsMarkedActor(type, symbols) && HandlerShapes.DeclaresOwnReceive(type))
                {
                    c.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ActorDeclaresReceive, ActorFacts.NameLocation(type), type.Name));
                }
            },
            SymbolKind.NamedType);
    }
}
