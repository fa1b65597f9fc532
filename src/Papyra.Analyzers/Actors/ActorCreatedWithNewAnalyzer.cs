using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Papyra.Analyzers;

/// <summary>
/// PAP1005: actors are spawned, not created with <c>new</c>. A <c>new</c> is allowed only as the value a
/// factory lambda returns (a lambda whose return type is an actor type, e.g. <c>Spawn(() =&gt; new Counter(42))</c>),
/// because that is how Spawn receives factories; everywhere else it is reported. The assembly that declares
/// <c>Papyra.Actor</c> (the runtime, which is what creates actors) is exempt.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ActorCreatedWithNewAnalyzer : PapyraDiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.ActorCreatedWithNew);

    internal override void InitializeCompilation(CompilationStartAnalysisContext context, PapyraSymbols symbols)
    {
        if (symbols.Actor is null || SymbolEqualityComparer.Default.Equals(symbols.Actor.ContainingAssembly, context.Compilation.Assembly))
        {
            return;
        }

        context.RegisterOperationAction(
            c =>
            {
                var creation = (IObjectCreationOperation)c.Operation;
                if (creation.Type is INamedTypeSymbol type && ActorFacts.DerivesFromActor(type, symbols) && !IsFactoryResult(creation, symbols))
                {
                    c.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ActorCreatedWithNew, creation.Syntax.GetLocation(), type.Name));
                }
            },
            OperationKind.ObjectCreation);
    }

    private static bool IsFactoryResult(IOperation creation, PapyraSymbols symbols)
    {
        var current = creation;
        while (current.Parent is IConversionOperation or IParenthesizedOperation)
        {
            current = current.Parent;
        }

        if (current.Parent is not IReturnOperation)
        {
            return false;
        }

        for (var ancestor = current.Parent.Parent; ancestor is not null; ancestor = ancestor.Parent)
        {
            if (ancestor is IAnonymousFunctionOperation lambda)
            {
                return ActorFacts.IsActorType(lambda.Symbol.ReturnType, symbols);
            }

            if (ancestor is ILocalFunctionOperation)
            {
                return false;
            }
        }

        return false;
    }
}
