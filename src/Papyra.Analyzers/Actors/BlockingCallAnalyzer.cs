using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Papyra.Analyzers;

/// <summary>
/// PAP1007: no blocking calls (<c>Thread.Sleep</c>, <c>.Result</c>, <c>.Wait()</c>, <c>Task.WaitAll/WaitAny</c>,
/// <c>GetAwaiter().GetResult()</c>) in the methods of an actor class. Code inside lambdas and local functions
/// is not checked: it may run elsewhere (and PAP1009 covers what it must not touch).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BlockingCallAnalyzer : PapyraDiagnosticAnalyzer
{
    /// <summary>The diagnostic property naming the kind of blocking call; the code fix handles <see cref="ThreadSleep"/>.</summary>
    public const string KindProperty = "BlockingKind";

    /// <summary>The kind value for <c>Thread.Sleep</c>.</summary>
    public const string ThreadSleep = "ThreadSleep";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.BlockingCallInHandler);

    internal override void InitializeCompilation(CompilationStartAnalysisContext context, PapyraSymbols symbols)
    {
        if (symbols.Actor is null)
        {
            return;
        }

        context.RegisterOperationBlockStartAction(block =>
        {
            if (block.OwningSymbol is not IMethodSymbol method || !ActorFacts.IsActorMethod(method, symbols))
            {
                return;
            }

            block.RegisterOperationAction(c => AnalyzeInvocation(c, method, symbols), OperationKind.Invocation);
            block.RegisterOperationAction(c => AnalyzePropertyReference(c, method, symbols), OperationKind.PropertyReference);
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, IMethodSymbol owner, PapyraSymbols symbols)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (IsInsideNestedFunction(invocation))
        {
            return;
        }

        var target = invocation.TargetMethod;
        var containing = target.ContainingType?.OriginalDefinition;
        string? what = null;
        string? kind = null;
        if (target.Name == "Sleep" && SymbolEqualityComparer.Default.Equals(containing, symbols.Thread))
        {
            what = "Thread.Sleep";
            kind = ThreadSleep;
        }
        else if (target.Name is "Wait" or "WaitAll" or "WaitAny" && IsTaskType(containing, symbols))
        {
            what = target.IsStatic ? "Task." + target.Name : ".Wait()";
        }
        else if (target.Name == "GetResult" && containing is { Name: "TaskAwaiter" or "ValueTaskAwaiter" or "ConfiguredTaskAwaiter" or "ConfiguredValueTaskAwaiter" }
            && containing.ContainingNamespace?.ToDisplayString() == "System.Runtime.CompilerServices")
        {
            what = "GetAwaiter().GetResult()";
        }

        if (what is null)
        {
            return;
        }

        var properties = kind is null ? ImmutableDictionary<string, string?>.Empty : ImmutableDictionary<string, string?>.Empty.Add(KindProperty, kind);
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.BlockingCallInHandler, invocation.Syntax.GetLocation(), properties, what, owner.Name));
    }

    private static void AnalyzePropertyReference(OperationAnalysisContext context, IMethodSymbol owner, PapyraSymbols symbols)
    {
        var reference = (IPropertyReferenceOperation)context.Operation;
        if (reference.Property.Name != "Result" || IsInsideNestedFunction(reference))
        {
            return;
        }

        var containing = reference.Property.ContainingType?.OriginalDefinition;
        if (SymbolEqualityComparer.Default.Equals(containing, symbols.TaskOfT) || SymbolEqualityComparer.Default.Equals(containing, symbols.ValueTaskOfT))
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.BlockingCallInHandler, reference.Syntax.GetLocation(), ".Result", owner.Name));
        }
    }

    private static bool IsTaskType(INamedTypeSymbol? type, PapyraSymbols symbols) =>
        SymbolEqualityComparer.Default.Equals(type, symbols.Task) || SymbolEqualityComparer.Default.Equals(type, symbols.TaskOfT);

    private static bool IsInsideNestedFunction(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }
}
