using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Papyra.Shared.Actors;

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
    /// Whether a method is a handler candidate: a method of an <c>[Actor]</c> class that the shared handler rules
    /// (<see cref="HandlerShapes.IsCandidate"/>, the generator's too) consider: public, instance, ordinary, no
    /// interface implementation and no override of a runtime or base-actor member.
    /// </summary>
    /// <param name="method">The method.</param>
    /// <param name="symbols">Papyra's symbols.</param>
    /// <returns>True for candidates.</returns>
    public static bool IsHandlerCandidate(IMethodSymbol method, PapyraSymbols symbols) =>
        method.ContainingType is { } type
        && IsMarkedActor(type, symbols)
        && HandlerShapes.IsCandidate(method);

    /// <summary>Classifies a handler candidate with the rules the generator uses: null when it dispatches it, otherwise why not.</summary>
    /// <param name="method">A handler candidate.</param>
    /// <param name="symbols">Papyra's symbols.</param>
    /// <returns>Null for a valid handler, else the reason.</returns>
    public static string? InvalidHandlerReason(IMethodSymbol method, PapyraSymbols symbols) =>
        HandlerShapes.Classify(method, symbols.Compilation) is { IsValid: false, IsCompilerError: false } shape ? shape.Problem : null;

    /// <summary>The message type of a valid handler, as the dispatch matches it (a nullable value type's underlying type).</summary>
    /// <param name="method">A valid handler.</param>
    /// <returns>The dispatched type of its first parameter.</returns>
    public static ITypeSymbol MessageType(IMethodSymbol method) => HandlerShapes.MessageType(method.Parameters[0].Type);

    /// <summary>Whether a method is a valid handler of an <c>[Actor]</c> class.</summary>
    /// <param name="method">The method.</param>
    /// <param name="symbols">Papyra's symbols.</param>
    /// <returns>True for valid handlers.</returns>
    public static bool IsValidHandler(IMethodSymbol method, PapyraSymbols symbols) =>
        IsHandlerCandidate(method, symbols) && HandlerShapes.Classify(method, symbols.Compilation).IsValid;

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

    /// <summary>All valid handlers declared by an actor type, in declaration order.</summary>
    /// <param name="type">The actor type.</param>
    /// <param name="symbols">Papyra's symbols.</param>
    /// <returns>The handlers.</returns>
    public static ImmutableArray<IMethodSymbol> Handlers(INamedTypeSymbol type, PapyraSymbols symbols) =>
        type.GetMembers().OfType<IMethodSymbol>().Where(m => IsValidHandler(m, symbols)).ToImmutableArray();
}
