using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Papyra.Analyzers;

/// <summary>
/// PAP1006: no <c>async void</c> method in an actor class. Handlers are the main case, but an async void
/// helper of an actor breaks one-message-at-a-time processing just the same, so every method is checked.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class AsyncVoidHandlerAnalyzer : PapyraDiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.AsyncVoidHandler);

    internal override void InitializeCompilation(CompilationStartAnalysisContext context, PapyraSymbols symbols)
    {
        if (symbols.Actor is null)
        {
            return;
        }

        context.RegisterSymbolAction(
            c =>
            {
                var method = (IMethodSymbol)c.Symbol;
                if (method.IsAsync && method.ReturnsVoid && ActorFacts.IsActorMethod(method, symbols))
                {
                    c.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.AsyncVoidHandler, ActorFacts.NameLocation(method), method.Name, method.ContainingType.Name));
                }
            },
            SymbolKind.Method);
    }
}
