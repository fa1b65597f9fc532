using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Papyra.Analyzers;

/// <summary>What the actor rules need to know about types and methods (SPEC §3 handler shapes).</summary>
internal static class ActorFacts
{
    /// <summary>Whether a type is marked <c>[Actor]</c>.</summary>
    /// <param name="type">The type.</param>
    /// <param name="symbols">Papyra's symbols.</param>
    /// <returns>True when marked.</returns>
    public static bool IsMarkedActor(INamedTypeSymbol type, PapyraSymbols symbols) =>
        symbols.ActorAttribute is not null
        && type.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, symbols.ActorAttribute));

    /// <summary>Whether a type derives (directly or not) from <c>Papyra.Actor</c>.</summary>
    /// <param name="type">The type.</param>
    /// <param name="symbols">Papyra's symbols.</param>
    /// <returns>True when it derives from Actor.</returns>
    public static bool DerivesFromActor(ITypeSymbol? type, PapyraSymbols symbols)
    {
        if (symbols.Actor is null)
        {
            return false;
        }

        for (var current = type?.BaseType; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, symbols.Actor))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a type is <c>Papyra.Actor</c> or derives from it.</summary>
    /// <param name="type">The type.</param>
    /// <param name="symbols">Papyra's symbols.</param>
    /// <returns>True for actor types.</returns>
    public static bool IsActorType(ITypeSymbol? type, PapyraSymbols symbols) =>
        type is not null && (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, symbols.Actor) || DerivesFromActor(type, symbols));

    /// <summary>
    /// Whether a method is a handler candidate: a public, non-static, ordinary method of an <c>[Actor]</c>
    /// class that neither overrides a base member nor implements an interface member.
    /// </summary>
    /// <param name="method">The method.</param>
    /// <param name="symbols">Papyra's symbols.</param>
    /// <returns>True for candidates.</returns>
    public static bool IsHandlerCandidate(IMethodSymbol method, PapyraSymbols symbols) =>
        method.MethodKind == MethodKind.Ordinary
        && method.DeclaredAccessibility == Accessibility.Public
        && !method.IsStatic
        && !method.IsOverride
        && !method.IsImplicitlyDeclared
        && method.ContainingType is { } type
        && IsMarkedActor(type, symbols)
        && !ImplementsInterfaceMember(method);

    /// <summary>Classifies a handler candidate: returns null when valid, otherwise why it is not a handler.</summary>
    /// <param name="method">A handler candidate.</param>
    /// <param name="symbols">Papyra's symbols.</param>
    /// <returns>Null for a valid handler, else the reason.</returns>
    public static string? InvalidHandlerReason(IMethodSymbol method, PapyraSymbols symbols)
    {
        if (method.IsGenericMethod)
        {
            return "it is generic";
        }

        if (method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            return "it returns by reference";
        }

        var parameters = method.Parameters;
        if (parameters.Length == 0)
        {
            return "it takes no message parameter";
        }

        foreach (var parameter in parameters)
        {
            if (parameter.RefKind != RefKind.None)
            {
                return $"parameter '{parameter.Name}' is passed by reference";
            }
        }

        if (IsCancellationToken(parameters[0].Type, symbols))
        {
            return "its first parameter must be the message, not a CancellationToken";
        }

        if (parameters.Length > 2 || (parameters.Length == 2 && !IsCancellationToken(parameters[1].Type, symbols)))
        {
            return "it takes more than one message parameter (only a CancellationToken may follow the message)";
        }

        return null;
    }

    /// <summary>The message type of a valid handler.</summary>
    /// <param name="method">A valid handler.</param>
    /// <returns>Its first parameter's type.</returns>
    public static ITypeSymbol MessageType(IMethodSymbol method) => method.Parameters[0].Type;

    /// <summary>Whether a method is a valid handler of an <c>[Actor]</c> class.</summary>
    /// <param name="method">The method.</param>
    /// <param name="symbols">Papyra's symbols.</param>
    /// <returns>True for valid handlers.</returns>
    public static bool IsValidHandler(IMethodSymbol method, PapyraSymbols symbols) =>
        IsHandlerCandidate(method, symbols) && InvalidHandlerReason(method, symbols) is null;

    /// <summary>Whether a method belongs to an actor class (a class deriving from <c>Papyra.Actor</c>).</summary>
    /// <param name="method">The method.</param>
    /// <param name="symbols">Papyra's symbols.</param>
    /// <returns>True for members of actor classes.</returns>
    public static bool IsActorMethod(IMethodSymbol method, PapyraSymbols symbols) =>
        method.MethodKind == MethodKind.Ordinary && DerivesFromActor(method.ContainingType, symbols);

    /// <summary>The identifier location of a method's first declaration, or its first location.</summary>
    /// <param name="method">The method.</param>
    /// <returns>The location to report on.</returns>
    public static Location NameLocation(IMethodSymbol method) => method.Locations.FirstOrDefault() ?? Location.None;

    /// <summary>The identifier location of a type's declarations.</summary>
    /// <param name="type">The type.</param>
    /// <returns>The location to report on.</returns>
    public static Location NameLocation(INamedTypeSymbol type) => type.Locations.FirstOrDefault() ?? Location.None;

    /// <summary>Whether a type is declared partial in every declaration we can see.</summary>
    /// <param name="type">The type.</param>
    /// <returns>True when partial.</returns>
    public static bool IsPartial(INamedTypeSymbol type) =>
        type.DeclaringSyntaxReferences
            .Select(r => r.GetSyntax())
            .OfType<TypeDeclarationSyntax>()
            .Any(d => d.Modifiers.Any(m => m.Text == "partial"));

    private static bool IsCancellationToken(ITypeSymbol type, PapyraSymbols symbols) =>
        SymbolEqualityComparer.Default.Equals(type, symbols.CancellationToken);

    private static bool ImplementsInterfaceMember(IMethodSymbol method)
    {
        var type = method.ContainingType;
        foreach (var @interface in type.AllInterfaces)
        {
            foreach (var member in @interface.GetMembers(method.Name))
            {
                if (SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(member), method))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>All valid handlers declared by an actor type, in declaration order.</summary>
    /// <param name="type">The actor type.</param>
    /// <param name="symbols">Papyra's symbols.</param>
    /// <returns>The handlers.</returns>
    public static ImmutableArray<IMethodSymbol> Handlers(INamedTypeSymbol type, PapyraSymbols symbols) =>
        type.GetMembers().OfType<IMethodSymbol>().Where(m => IsValidHandler(m, symbols)).ToImmutableArray();
}
