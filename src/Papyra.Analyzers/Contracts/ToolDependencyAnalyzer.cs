using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Papyra.Analyzers;

/// <summary>
/// PAP0003: an assembly marked as a tool (<c>[assembly: PapyraTool]</c>, or the MSBuild property
/// <c>PapyraTool=true</c> made visible to the compiler by the props file in the Papyra packages) may use
/// only Papyra.Abstractions. Every name that binds to a type or member of another Papyra assembly is reported.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ToolDependencyAnalyzer : PapyraDiagnosticAnalyzer
{
    /// <summary>The MSBuild property that marks a tool, as the compiler sees it.</summary>
    public const string ToolBuildProperty = "build_property.PapyraTool";

    private const string AbstractionsAssembly = "Papyra.Abstractions";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.ToolUsesNonAbstractions);

    internal override void InitializeCompilation(CompilationStartAnalysisContext context, PapyraSymbols symbols)
    {
        if (!IsTool(context.Compilation, context.Options, symbols))
        {
            return;
        }

        context.RegisterSyntaxNodeAction(Analyze, SyntaxKind.IdentifierName, SyntaxKind.GenericName, SyntaxKind.ImplicitObjectCreationExpression);
    }

    private static bool IsTool(Compilation compilation, AnalyzerOptions options, PapyraSymbols symbols)
    {
        if (options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(ToolBuildProperty, out var value)
            && string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (symbols.ToolAttribute is null)
        {
            return false;
        }

        foreach (var attribute in compilation.Assembly.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, symbols.ToolAttribute))
            {
                return true;
            }
        }

        return false;
    }

    private static void Analyze(SyntaxNodeAnalysisContext context)
    {
        if (context.Node is IdentifierNameSyntax { IsVar: true })
        {
            return;
        }

        var info = context.SemanticModel.GetSymbolInfo(context.Node, context.CancellationToken);
        var symbol = info.Symbol ?? (info.CandidateSymbols.Length > 0 ? info.CandidateSymbols[0] : null);
        if (symbol is null or INamespaceSymbol)
        {
            return;
        }

        if (symbol is IMethodSymbol { ReducedFrom: { } reduced })
        {
            symbol = reduced;
        }

        var assembly = symbol.OriginalDefinition.ContainingAssembly?.Name;
        if (!PapyraSymbols.IsPapyraAssemblyName(assembly) || assembly == AbstractionsAssembly)
        {
            return;
        }

        // `RuntimeType.Member`: the type name is already reported.
        if (symbol is not ITypeSymbol
            && context.Node.Parent is MemberAccessExpressionSyntax access
            && access.Name == context.Node
            && context.SemanticModel.GetSymbolInfo(access.Expression, context.CancellationToken).Symbol is ITypeSymbol receiver
            && receiver.ContainingAssembly?.Name == assembly)
        {
            return;
        }

        var name = symbol is IMethodSymbol { MethodKind: MethodKind.Constructor } constructor ? constructor.ContainingType.Name : symbol.Name;
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ToolUsesNonAbstractions, context.Node.GetLocation(), name, assembly));
    }
}
