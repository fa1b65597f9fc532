using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Papyra.Analyzers;

/// <summary>
/// PAP0001: outside Papyra's own assemblies (assembly name <c>Papyra</c> or <c>Papyra.*</c>), no reference to
/// an API marked <c>[PapyraInternal]</c> (or whose containing type is) or declared in a <c>Papyra.*.Internal</c>
/// namespace. Every name that binds to such a symbol is reported: type names, member accesses, attributes,
/// <c>nameof</c>, base lists and target-typed <c>new()</c>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InternalApiUsageAnalyzer : PapyraDiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.InternalApiUsage);

    internal override void InitializeCompilation(CompilationStartAnalysisContext context, PapyraSymbols symbols)
    {
        if (symbols.IsPapyraCompilation)
        {
            return;
        }

        context.RegisterSyntaxNodeAction(c => Analyze(c, symbols), SyntaxKind.IdentifierName, SyntaxKind.GenericName, SyntaxKind.ImplicitObjectCreationExpression);
    }

    private static void Analyze(SyntaxNodeAnalysisContext context, PapyraSymbols symbols)
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

        if (!symbols.IsPapyraInternal(symbol, out var reason, out var throughContainingType))
        {
            return;
        }

        // `InternalType.Member`: the type name is already reported; do not report the member a second time.
        if (throughContainingType
            && context.Node.Parent is MemberAccessExpressionSyntax access
            && access.Name == context.Node
            && context.SemanticModel.GetSymbolInfo(access.Expression, context.CancellationToken).Symbol is ITypeSymbol)
        {
            return;
        }

        var name = symbol is IMethodSymbol { MethodKind: MethodKind.Constructor } constructor ? constructor.ContainingType.Name : symbol.Name;
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalApiUsage, context.Node.GetLocation(), name, reason));
    }
}
