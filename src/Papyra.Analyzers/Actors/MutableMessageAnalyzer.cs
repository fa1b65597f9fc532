using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Papyra.Analyzers;

/// <summary>
/// PAP1008 (warning): the message type of a handler should be immutable: no settable (non-init) property,
/// no non-readonly field and no property or field of a mutable collection type (<c>List&lt;T&gt;</c>,
/// <c>Dictionary&lt;TKey, TValue&gt;</c>, ...) visible outside the type, its own or inherited. Types of the BCL
/// (System.*), interfaces, enums and delegates are not checked.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MutableMessageAnalyzer : PapyraDiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.MutableMessageType);

    internal override void InitializeCompilation(CompilationStartAnalysisContext context, PapyraSymbols symbols)
    {
        if (!symbols.HasActors)
        {
            return;
        }

        context.RegisterSymbolAction(
            c =>
            {
                var method = (IMethodSymbol)c.Symbol;
                if (!ActorFacts.IsValidHandler(method, symbols) || ActorFacts.MessageType(method) is not INamedTypeSymbol message)
                {
                    return;
                }

                if (MutableMember(message) is { } reason)
                {
                    var parameter = method.Parameters[0];
                    var location = parameter.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(c.CancellationToken) is ParameterSyntax { Type: { } typeSyntax }
                        ? typeSyntax.GetLocation()
                        : ActorFacts.NameLocation(method);
                    c.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MutableMessageType, location, message.Name, method.Name, reason));
                }
            },
            SymbolKind.Method);
    }

    private static string? MutableMember(INamedTypeSymbol message)
    {
        if (message.TypeKind is not (TypeKind.Class or TypeKind.Struct) || message.SpecialType != SpecialType.None || IsBcl(message))
        {
            return null;
        }

        for (var type = message; type is not null && type.SpecialType == SpecialType.None && !IsBcl(type); type = type.BaseType)
        {
            foreach (var member in type.GetMembers())
            {
                if (member.IsStatic || member.IsImplicitlyDeclared || !IsVisible(member.DeclaredAccessibility))
                {
                    continue;
                }

                switch (member)
                {
                    case IFieldSymbol { IsReadOnly: false, IsConst: false } field when field.AssociatedSymbol is null:
                        return $"field '{field.Name}' is not readonly";
                    case IPropertySymbol { SetMethod: { IsInitOnly: false } setter } property when IsVisible(setter.DeclaredAccessibility):
                        return $"property '{property.Name}' has a setter";
                    case IPropertySymbol property when IsMutableCollection(property.Type):
                        return $"property '{property.Name}' is a mutable {property.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)} (use IReadOnlyList<T>, IReadOnlyDictionary<TKey, TValue> or an immutable collection)";
                    case IFieldSymbol field when field.AssociatedSymbol is null && IsMutableCollection(field.Type):
                        return $"field '{field.Name}' is a mutable {field.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)} (use IReadOnlyList<T>, IReadOnlyDictionary<TKey, TValue> or an immutable collection)";
                }
            }
        }

        return null;
    }

    // Concrete collections of System.Collections.Generic whose content anyone holding the message can change.
    // Arrays are not reported: byte[] payloads are common and usually treated as owned by the message.
    private static bool IsMutableCollection(ITypeSymbol type) =>
        type is INamedTypeSymbol { IsGenericType: true } named
        && named.ContainingNamespace?.ToDisplayString() == "System.Collections.Generic"
        && named.Name is "List" or "Dictionary" or "HashSet" or "Queue" or "Stack" or "LinkedList" or "SortedDictionary" or "SortedList" or "SortedSet";

    private static bool IsVisible(Accessibility accessibility) =>
        accessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal;

    private static bool IsBcl(INamedTypeSymbol type)
    {
        var ns = type.ContainingNamespace?.ToDisplayString() ?? string.Empty;
        return ns == "System" || ns.StartsWith("System.", StringComparison.Ordinal);
    }
}
