using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace Papyra.Analyzers.CodeFixes;

/// <summary>
/// Syntax the code fixes share: fully qualified names annotated for simplification. CodeAction's own
/// clean-up adds the usings, reduces the names and formats the annotated nodes.
/// </summary>
internal static class SyntaxHelpers
{
    /// <summary><c>global::System.Threading.Tasks.Task</c>, simplified to <c>Task</c> where a using allows it.</summary>
    /// <returns>The type syntax.</returns>
    public static TypeSyntax TaskType() => QualifiedName("global::System.Threading.Tasks.Task");

    /// <summary>Parses a qualified name and marks it for simplification.</summary>
    /// <param name="name">A fully qualified name.</param>
    /// <returns>The annotated type syntax.</returns>
    public static TypeSyntax QualifiedName(string name) =>
        SyntaxFactory.ParseTypeName(name).WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
}
