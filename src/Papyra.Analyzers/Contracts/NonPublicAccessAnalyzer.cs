using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Papyra.Analyzers;

/// <summary>
/// PAP0002: outside Papyra's own assemblies, no access to Papyra's non-public members:
/// reflection on a Papyra type with <c>BindingFlags.NonPublic</c> (<c>typeof(T)</c> or <c>x.GetType()</c> receivers),
/// <c>Activator.CreateInstance(typeof(T), nonPublic: true)</c>, <c>[UnsafeAccessor]</c> methods whose target is a
/// Papyra type, and <c>[assembly: IgnoresAccessChecksTo("Papyra.*")]</c>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NonPublicAccessAnalyzer : PapyraDiagnosticAnalyzer
{
    private const int NonPublicFlag = 32; // System.Reflection.BindingFlags.NonPublic

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.NonPublicAccess);

    internal override void InitializeCompilation(CompilationStartAnalysisContext context, PapyraSymbols symbols)
    {
        if (symbols.IsPapyraCompilation)
        {
            return;
        }

        var bindingFlags = context.Compilation.GetTypeByMetadataName("System.Reflection.BindingFlags");
        var systemType = context.Compilation.GetTypeByMetadataName("System.Type");
        var activator = context.Compilation.GetTypeByMetadataName("System.Activator");
        var unsafeAccessor = context.Compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.UnsafeAccessorAttribute");

        if (bindingFlags is not null && systemType is not null)
        {
            context.RegisterOperationAction(c => AnalyzeInvocation(c, bindingFlags, systemType, activator), OperationKind.Invocation);
        }

        if (unsafeAccessor is not null)
        {
            context.RegisterSymbolAction(c => AnalyzeUnsafeAccessor(c, unsafeAccessor), SymbolKind.Method);
        }

        context.RegisterSyntaxNodeAction(AnalyzeIgnoresAccessChecks, SyntaxKind.Attribute);
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, INamedTypeSymbol bindingFlags, INamedTypeSymbol systemType, INamedTypeSymbol? activator)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;

        if (activator is not null && SymbolEqualityComparer.Default.Equals(method.ContainingType, activator) && method.Name == "CreateInstance")
        {
            if (invocation.Arguments.Length >= 2
                && ReflectedType(invocation.Arguments[0].Value, systemType) is { } created && PapyraSymbols.IsFromPapyra(created)
                && invocation.Arguments[1].Value.ConstantValue is { HasValue: true, Value: true })
            {
                Report(context, invocation.Syntax.GetLocation(), "Activator.CreateInstance with nonPublic: true", created);
            }

            return;
        }

        if (!InheritsFrom(method.ContainingType, systemType) || invocation.Instance is null)
        {
            return;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (SymbolEqualityComparer.Default.Equals(argument.Value.Type, bindingFlags)
                && argument.Value.ConstantValue is { HasValue: true, Value: int flags }
                && (flags & NonPublicFlag) != 0
                && ReflectedType(invocation.Instance, systemType) is { } reflected
                && PapyraSymbols.IsFromPapyra(reflected))
            {
                Report(context, invocation.Syntax.GetLocation(), "Reflection with BindingFlags.NonPublic", reflected);
                return;
            }
        }
    }

    private static ITypeSymbol? ReflectedType(IOperation operation, INamedTypeSymbol systemType)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation switch
        {
            ITypeOfOperation typeOf => typeOf.TypeOperand,
            IInvocationOperation { TargetMethod.Name: "GetType", Instance: { Type: { } instanceType }, Arguments.Length: 0 } => instanceType,
            IInvocationOperation { TargetMethod.Name: "GetTypeInfo", Arguments: [var argument] } => ReflectedType(argument.Value, systemType),
            _ => null,
        };
    }

    private static void AnalyzeUnsafeAccessor(SymbolAnalysisContext context, INamedTypeSymbol unsafeAccessor)
    {
        var method = (IMethodSymbol)context.Symbol;
        foreach (var attribute in method.GetAttributes())
        {
            if (!SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, unsafeAccessor))
            {
                continue;
            }

            ITypeSymbol? target = method.Parameters.Length > 0 ? method.Parameters[0].Type : null;
            if (!PapyraSymbols.IsFromPapyra(target))
            {
                target = method.ReturnType; // constructor accessors return the target type
            }

            var accessorTypeName = UnsafeAccessorTypeName(method);
            if (PapyraSymbols.IsFromPapyra(target))
            {
                Report(context.ReportDiagnostic, method.Locations[0], "[UnsafeAccessor] method '" + method.Name + "'", target!);
            }
            else if (accessorTypeName is not null)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NonPublicAccess, method.Locations[0], "[UnsafeAccessor] method '" + method.Name + "'", accessorTypeName));
            }

            return;
        }
    }

    // .NET 10's [UnsafeAccessorType("Papyra.X, Papyra.Runtime")] names an inaccessible target type by string.
    private static string? UnsafeAccessorTypeName(IMethodSymbol method)
    {
        foreach (var parameter in method.Parameters)
        {
            foreach (var attribute in parameter.GetAttributes())
            {
                if (attribute.AttributeClass?.Name == "UnsafeAccessorTypeAttribute"
                    && attribute.ConstructorArguments.Length == 1
                    && attribute.ConstructorArguments[0].Value is string name
                    && name.StartsWith("Papyra", StringComparison.Ordinal))
                {
                    return name;
                }
            }
        }

        return null;
    }

    private static void AnalyzeIgnoresAccessChecks(SyntaxNodeAnalysisContext context)
    {
        var attribute = (AttributeSyntax)context.Node;
        if (attribute.Parent is not AttributeListSyntax { Target.Identifier.Text: "assembly" } || !attribute.Name.ToString().Contains("IgnoresAccessChecksTo"))
        {
            return;
        }

        if (attribute.ArgumentList?.Arguments is [{ Expression: var expression }]
            && context.SemanticModel.GetConstantValue(expression, context.CancellationToken) is { HasValue: true, Value: string assembly }
            && PapyraSymbols.IsPapyraAssemblyName(assembly))
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NonPublicAccess, attribute.GetLocation(), "[IgnoresAccessChecksTo]", assembly));
        }
    }

    private static bool InheritsFrom(INamedTypeSymbol? type, INamedTypeSymbol baseType)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, baseType))
            {
                return true;
            }
        }

        return false;
    }

    private static void Report(OperationAnalysisContext context, Location location, string how, ITypeSymbol target) =>
        Report(context.ReportDiagnostic, location, how, target);

    private static void Report(Action<Diagnostic> report, Location location, string how, ITypeSymbol target) =>
        report(Diagnostic.Create(DiagnosticDescriptors.NonPublicAccess, location, how, target.ToDisplayString()));
}
