using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;

namespace Papyra.Analyzers.CodeFixes;

/// <summary>Fixes PAP0004 by replacing a misspelt metric key with the generated constant the analyzer suggests.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MetricKeyToConstantCodeFix))]
[Shared]
public sealed class MetricKeyToConstantCodeFix : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.UnknownMetricKey);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var diagnostic = context.Diagnostics[0];
        if (!diagnostic.Properties.TryGetValue(MetricKeyAnalyzer.ConstantTypeProperty, out var type) || type is null
            || !diagnostic.Properties.TryGetValue(MetricKeyAnalyzer.ConstantNameProperty, out var name) || name is null)
        {
            return;
        }

        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not LiteralExpressionSyntax literal)
        {
            return;
        }

        var shortType = type.Substring(type.LastIndexOf('.') + 1);
        context.RegisterCodeFix(
            CodeAction.Create($"Use {shortType}.{name}", ct => ReplaceAsync(context.Document, literal, type, name, ct), nameof(MetricKeyToConstantCodeFix) + "." + name),
            diagnostic);
    }

    private static async Task<Document> ReplaceAsync(Document document, LiteralExpressionSyntax literal, string type, string name, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var typeName = SyntaxHelpers.QualifiedName(type);
        var constant = SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, typeName, SyntaxFactory.IdentifierName(name))
            .WithTriviaFrom(literal);
        var updated = document.WithSyntaxRoot(root!.ReplaceNode(literal, constant));

        // Import the constant's namespace when it is not imported yet; CodeAction's clean-up then shortens the name.
        return await ImportAdder.AddImportsAsync(updated, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
