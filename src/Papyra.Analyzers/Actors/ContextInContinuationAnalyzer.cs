using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Papyra.Analyzers;

/// <summary>
/// PAP1009 (warning): <c>Context</c> and <c>Self</c> belong to the message being processed. Inside an actor
/// class, they must not be read in a lambda that runs later or elsewhere: one passed to <c>Task.Run</c>,
/// <c>TaskFactory</c>, <c>ContinueWith</c>, <c>ThreadPool</c>, <c>Parallel</c>, a <c>Thread</c> or
/// <c>Timer</c> constructor, <c>CancellationToken.Register</c>, or subscribed to an event.
/// Lambdas that run synchronously (LINQ, <c>List.ForEach</c>, ...) are not reported.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ContextInContinuationAnalyzer : PapyraDiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.ContextInContinuation);

    internal override void InitializeCompilation(CompilationStartAnalysisContext context, PapyraSymbols symbols)
    {
        if (symbols.Actor is null)
        {
            return;
        }

        context.RegisterOperationBlockStartAction(block =>
        {
            if (block.OwningSymbol is not IMethodSymbol method || !ActorFacts.DerivesFromActor(method.ContainingType, symbols))
            {
                return;
            }

            block.RegisterOperationAction(c => Analyze(c, method, symbols), OperationKind.PropertyReference);
        });
    }

    private static void Analyze(OperationAnalysisContext context, IMethodSymbol owner, PapyraSymbols symbols)
    {
        var reference = (IPropertyReferenceOperation)context.Operation;
        var property = reference.Property.OriginalDefinition;
        if (property.Name is not ("Context" or "Self") || !IsDeclaredByActor(property, symbols))
        {
            return;
        }

        for (var current = reference.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation lambda && DeferredUse(lambda) is { } use)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ContextInContinuation, reference.Syntax.GetLocation(), property.Name, use, owner.Name));
                return;
            }
        }
    }

    private static bool IsDeclaredByActor(IPropertySymbol property, PapyraSymbols symbols)
    {
        for (var current = property; current is not null; current = current.OverriddenProperty)
        {
            if (SymbolEqualityComparer.Default.Equals(current.ContainingType?.OriginalDefinition, symbols.Actor))
            {
                return true;
            }
        }

        return false;
    }

    private static string? DeferredUse(IAnonymousFunctionOperation lambda)
    {
        IOperation current = lambda;
        while (current.Parent is IDelegateCreationOperation or IConversionOperation)
        {
            current = current.Parent;
        }

        switch (current.Parent)
        {
            case IEventAssignmentOperation { Adds: true }:
                return "event handler";
            case IArgumentOperation { Parent: IInvocationOperation invocation }:
                return DeferringMethod(invocation.TargetMethod) ? "callback passed to " + invocation.TargetMethod.ContainingType.Name + "." + invocation.TargetMethod.Name : null;
            case IArgumentOperation { Parent: IObjectCreationOperation { Constructor: { } constructor } }:
                return DeferringMethod(constructor) ? "callback passed to new " + constructor.ContainingType.Name : null;
            default:
                return null;
        }
    }

    private static bool DeferringMethod(IMethodSymbol method)
    {
        var type = method.ContainingType?.OriginalDefinition;
        if (type is null)
        {
            return false;
        }

        var ns = type.ContainingNamespace?.ToDisplayString();
        return (ns, type.Name, method.Name) switch
        {
            ("System.Threading.Tasks", "Task", "Run" or "ContinueWith") => true,
            ("System.Threading.Tasks", "TaskFactory", _) => true,
            ("System.Threading.Tasks", "Parallel", _) => true,
            ("System.Threading", "ThreadPool", _) => true,
            ("System.Threading", "Thread", ".ctor") => true,
            ("System.Threading", "Timer", ".ctor") => true,
            ("System.Threading", "CancellationToken", "Register" or "UnsafeRegister") => true,
            ("System.Timers", "Timer", _) => true,
            _ => false,
        };
    }
}
