using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Papyra.Shared.Actors;

namespace Papyra.Analyzers;

/// <summary>PAP1004: one handler per message type; the second and later handlers of a type are reported.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DuplicateHandlerAnalyzer : PapyraDiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.DuplicateHandler);

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
                if (!ActorFacts.IsMarkedActor(type, symbols))
                {
                    return;
                }

                // The generator's own duplicate test (HandlerShapes): it dispatches the first handler of a message type only.
                var first = new List<(ITypeSymbol Message, IMethodSymbol Handler)>();
                foreach (var handler in ActorFacts.Handlers(type, symbols))
                {
                    var message = ActorFacts.MessageType(handler);
                    var earlier = first.FirstOrDefault(f => HandlerShapes.IsSameMessageType(symbols.Compilation, f.Message, message)).Handler;
                    if (earlier is not null)
                    {
                        c.ReportDiagnostic(Diagnostic.Create(
                            DiagnosticDescriptors.DuplicateHandler,
                            ActorFacts.NameLocation(handler),
                            handler.Name,
                            type.Name,
                            message.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
                            earlier.Name));
                    }
                    else
                    {
                        first.Add((message, handler));
                    }
                }
            },
            SymbolKind.NamedType);
    }
}
