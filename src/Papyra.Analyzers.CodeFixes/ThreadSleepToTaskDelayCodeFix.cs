using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace Papyra.Analyzers.CodeFixes;

/// <summary>
/// Fixes PAP1007 for <c>Thread.Sleep(x)</c>: replaces it with <c>await Task.Delay(x)</c>, passing the method's
/// CancellationToken parameter when it has one. The method must
/// already be <c>async</c>, or return <c>void</c>, in which case it becomes <c>async Task</c> (still a valid
/// handler). Other shapes (a non-async method returning a value or a task) are left to the developer.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ThreadSleepToTaskDelayCodeFix))]
[Shared]
public sealed class ThreadSleepToTaskDelayCodeFix : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.BlockingCallInHandler);

    /// <inheritdoc />
    public override FixAllProvider? GetFixAllProvider() => null; // each fix may rewrite the whole method signature

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var diagnostic = context.Diagnostics[0];
        if (!diagnostic.Properties.TryGetValue(BlockingCallAnalyzer.KindProperty, out var kind) || kind != BlockingCallAnalyzer.ThreadSleep)
        {
            return;
        }

        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true)?.FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } invocation
            || invocation.FirstAncestorOrSelf<MethodDeclarationSyntax>() is not { } method)
        {
            return;
        }

        var isAsync = method.Modifiers.Any(SyntaxKind.AsyncKeyword);
        var returnsVoid = method.ReturnType is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword };
        if (!isAsync && !returnsVoid)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create("Use 'await Task.Delay'", ct => ReplaceAsync(context.Document, method, invocation, isAsync, ct), nameof(ThreadSleepToTaskDelayCodeFix)),
            diagnostic);
    }

    private static async Task<Document> ReplaceAsync(Document document, MethodDeclarationSyntax method, InvocationExpressionSyntax invocation, bool isAsync, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);

        // A handler that takes a CancellationToken passes it on, so stopping the actor ends the delay.
        var arguments = invocation.ArgumentList;
        if (model?.GetDeclaredSymbol(method, cancellationToken) is { } methodSymbol
            && methodSymbol.Parameters.FirstOrDefault(p => p.Type.ToDisplayString() == "System.Threading.CancellationToken") is { } token)
        {
            arguments = arguments.AddArguments(SyntaxFactory.Argument(SyntaxFactory.IdentifierName(token.Name)));
        }

        var delay = SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, SyntaxHelpers.TaskType(), SyntaxFactory.IdentifierName("Delay")),
            arguments);
        var awaitDelay = SyntaxFactory.AwaitExpression(delay).WithTriviaFrom(invocation);

        var updated = method.ReplaceNode(invocation, awaitDelay);
        if (!isAsync)
        {
            var returnType = SyntaxHelpers.TaskType().WithTriviaFrom(updated.ReturnType);
            var asyncKeyword = SyntaxFactory.Token(SyntaxKind.AsyncKeyword).WithTrailingTrivia(SyntaxFactory.Space);
            updated = updated.Modifiers.Count == 0
                ? updated.WithReturnType(returnType.WithLeadingTrivia()).WithModifiers(SyntaxFactory.TokenList(asyncKeyword.WithLeadingTrivia(updated.ReturnType.GetLeadingTrivia())))
                : updated.WithReturnType(returnType).WithModifiers(updated.Modifiers.Add(asyncKeyword));
        }

        return document.WithSyntaxRoot(root!.ReplaceNode(method, updated.WithAdditionalAnnotations(Formatter.Annotation)));
    }
}
