using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Papyra.Generators.Common;
using Papyra.Shared.Actors;

namespace Papyra.Generators.Actors
{
    /// <summary>
    /// Turns an <c>[Actor]</c> class into an <see cref="ActorModel"/>. Shapes the generator cannot honour
    /// (not partial, not deriving <c>Papyra.Actor</c>, a hand-written receive override, non-partial
    /// containers) yield null, and invalid handler methods are simply not handlers: the generator stays
    /// silent and the analyzers (PAP1xxx) report them. What a handler is comes from the rules shared with
    /// the analyzers (<see cref="HandlerShapes"/>), so every public method is either dispatched or reported.
    /// </summary>
    internal static class ActorParser
    {
        /// <summary>The metadata name of the marker attribute.</summary>
        public const string ActorAttributeName = HandlerShapes.ActorAttributeName;

        private const string ActorBaseName = HandlerShapes.ActorBaseName;
        private const string ReceiveMethodName = HandlerShapes.ReceiveMethodName;

        // Tuples are written as ValueTuple<...>: `case (int A, string B) m:` would be a positional pattern, not a type pattern.
        private static readonly SymbolDisplayFormat MessageTypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
            .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier | SymbolDisplayMiscellaneousOptions.ExpandValueTuple);

        private static readonly SymbolDisplayFormat ResultTypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
            .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        /// <summary>Syntax-only filter: a partial class.</summary>
        /// <param name="node">The node carrying the attribute.</param>
        /// <param name="cancellationToken">Cancellation.</param>
        /// <returns>True for candidates.</returns>
        public static bool IsCandidate(SyntaxNode node, CancellationToken cancellationToken) =>
            node is ClassDeclarationSyntax declaration && declaration.Modifiers.Any(SyntaxKind.PartialKeyword);

        /// <summary>Reads the actor, or returns null when it is not one the generator can emit.</summary>
        /// <param name="context">The attribute context.</param>
        /// <param name="cancellationToken">Cancellation.</param>
        /// <returns>The model, or null.</returns>
        public static ActorModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not INamedTypeSymbol type || type.TypeKind != TypeKind.Class || type.IsStatic)
            {
                return null;
            }

            Compilation compilation = context.SemanticModel.Compilation;
            INamedTypeSymbol? actorBase = compilation.GetTypeByMetadataName(ActorBaseName);
            if (actorBase is null || !DerivesFrom(type, actorBase) || DeclaresOwnReceive(type) || !AllContainersArePartial(type, cancellationToken))
            {
                return null;
            }

            IMethodSymbol? baseReceive = actorBase.GetMembers(ReceiveMethodName).OfType<IMethodSymbol>().FirstOrDefault(m => m.IsVirtual && m.Parameters.Length == 2);
            TypeShape? shape = TypeShapes.Create(type);
            if (baseReceive is null || shape is null)
            {
                return null;
            }

            var handlers = new List<(HandlerModel Model, ITypeSymbol Message)>();
            foreach (ISymbol member in type.GetMembers())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (member is IMethodSymbol method
                    && TryCreateHandler(method, compilation) is (HandlerModel, ITypeSymbol) handler
                    && !handlers.Any(h => HandlerShapes.IsSameMessageType(compilation, h.Message, handler.Message)))
                {
                    // A later handler of the same message type would be unreachable: PAP1004 reports it.
                    handlers.Add(handler);
                }
            }

            bool receiveIsProtectedInternal = baseReceive.DeclaredAccessibility == Accessibility.ProtectedOrInternal
                && SymbolEqualityComparer.Default.Equals(baseReceive.ContainingAssembly, compilation.Assembly);
            bool fallsBackToBase = !SymbolEqualityComparer.Default.Equals(type.BaseType?.OriginalDefinition, actorBase) && BaseDispatches(type, actorBase);
            string proxyAccessibility = ProxyAccessibility(type);
            bool canSpawn = !type.IsAbstract;
            bool canSpawnWithNew = canSpawn && type.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility == Accessibility.Public);

            return new ActorModel(
                shape,
                receiveIsProtectedInternal,
                fallsBackToBase,
                proxyAccessibility,
                canSpawnWithNew,
                canSpawn,
                TypeConstraints.Render(type),
                EquatableArray<HandlerModel>.From(OrderMostSpecificFirst(handlers, compilation)));
        }

        private static (HandlerModel Model, ITypeSymbol Message)? TryCreateHandler(IMethodSymbol method, Compilation compilation)
        {
            if (!HandlerShapes.IsCandidate(method))
            {
                return null;
            }

            HandlerShape shape = HandlerShapes.Classify(method, compilation);
            if (!shape.IsValid)
            {
                return null;
            }

            ITypeSymbol message = shape.Message!;
            string messageType = message.ToDisplayString(MessageTypeFormat);
            string resultType = shape.Result?.ToDisplayString(ResultTypeFormat) ?? string.Empty;
            TypeVisibility visibility = Visibility(message);
            if (shape.Result is { } result)
            {
                visibility = Min(visibility, Visibility(result));
            }

            var model = new HandlerModel(method.Name, messageType, shape.ReturnKind, resultType, shape.TakesCancellationToken, visibility == TypeVisibility.Public, visibility != TypeVisibility.Hidden);
            return (model, message);
        }

        // Whether a value of `derived` always matches a type pattern for `baseType` (reference or boxing conversion).
        private static bool IsMoreSpecific(Compilation compilation, ITypeSymbol derived, ITypeSymbol baseType)
        {
            if (compilation is not CSharpCompilation csharp)
            {
                return false;
            }

            Conversion conversion = csharp.ClassifyConversion(derived, baseType);
            return conversion.Exists && conversion.IsImplicit && !conversion.IsIdentity && (conversion.IsReference || conversion.IsBoxing);
        }

        // A stable topological order: declaration order, except that a handler never precedes one for a
        // type derived from its own, so the most specific handler wins (and no case is unreachable).
        private static IEnumerable<HandlerModel> OrderMostSpecificFirst(List<(HandlerModel Model, ITypeSymbol Message)> handlers, Compilation compilation)
        {
            var remaining = new List<(HandlerModel Model, ITypeSymbol Message)>(handlers);
            while (remaining.Count > 0)
            {
                int pick = 0;
                for (int i = 0; i < remaining.Count; i++)
                {
                    int candidate = i;
                    if (!remaining.Any(other => !ReferenceEquals(other.Model, remaining[candidate].Model) && IsMoreSpecific(compilation, other.Message, remaining[candidate].Message)))
                    {
                        pick = i;
                        break;
                    }
                }

                yield return remaining[pick].Model;
                remaining.RemoveAt(pick);
            }
        }

        private static bool DerivesFrom(INamedTypeSymbol type, INamedTypeSymbol actorBase)
        {
            for (INamedTypeSymbol? current = type.BaseType; current is not null; current = current.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, actorBase))
                {
                    return true;
                }
            }

            return false;
        }

        // Any hand-written ReceiveAsync(x, y) in the actor itself (an override, or a method hiding the
        // base one) would clash with the generated override: the actor is left to its author.
        private static bool DeclaresOwnReceive(INamedTypeSymbol type) => HandlerShapes.DeclaresOwnReceive(type);

        private static bool DeclaresReceive(INamedTypeSymbol type) =>
            type.GetMembers(ReceiveMethodName).OfType<IMethodSymbol>().Any(m => m.IsOverride);

        // Whether a class between the actor and Papyra.Actor dispatches (is itself an [Actor] or overrides receive).
        private static bool BaseDispatches(INamedTypeSymbol type, INamedTypeSymbol actorBase)
        {
            for (INamedTypeSymbol? current = type.BaseType; current is not null && !SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, actorBase); current = current.BaseType)
            {
                if (DeclaresReceive(current) || current.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == ActorAttributeName))
                {
                    return true;
                }
            }

            return false;
        }

        private enum TypeVisibility
        {
            Hidden = 0,
            Internal = 1,
            Public = 2,
        }

        private static TypeVisibility Min(TypeVisibility left, TypeVisibility right) => left < right ? left : right;

        // How visible a type is from code outside the actor class (the proxy): the least visible of the
        // type, its containers and its type arguments. Type parameters are the actor's own: visible.
        private static TypeVisibility Visibility(ITypeSymbol type)
        {
            switch (type)
            {
                case ITypeParameterSymbol:
                    return TypeVisibility.Public;
                case IArrayTypeSymbol array:
                    return Visibility(array.ElementType);
                case INamedTypeSymbol named:
                    TypeVisibility visibility = TypeVisibility.Public;
                    for (INamedTypeSymbol? current = named; current is not null; current = current.ContainingType)
                    {
                        visibility = Min(visibility, current.DeclaredAccessibility switch
                        {
                            Accessibility.Public => TypeVisibility.Public,
                            Accessibility.Internal or Accessibility.ProtectedOrInternal => TypeVisibility.Internal,
                            _ => TypeVisibility.Hidden,
                        });
                    }

                    foreach (ITypeSymbol argument in named.TypeArguments)
                    {
                        visibility = Min(visibility, Visibility(argument));
                    }

                    return visibility;
                default:
                    return TypeVisibility.Hidden;
            }
        }

        private static bool DeclaresProxyName(INamedTypeSymbol type)
        {
            string name = type.Name + "Ref";
            return type.ContainingType is { } container
                ? container.GetTypeMembers(name).Length > 0
                : type.ContainingNamespace.GetTypeMembers(name).Length > 0;
        }

        private static string ProxyAccessibility(INamedTypeSymbol type)
        {
            if (DeclaresProxyName(type))
            {
                // A hand-written type already has the proxy's name: dispatch only.
                return string.Empty;
            }

            bool isPublic = true;
            for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
            {
                switch (current.DeclaredAccessibility)
                {
                    case Accessibility.Public:
                        break;
                    case Accessibility.Internal:
                        isPublic = false;
                        break;
                    default:
                        return string.Empty;
                }
            }

            return isPublic ? "public" : "internal";
        }

        private static bool AllContainersArePartial(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            for (INamedTypeSymbol? container = type.ContainingType; container is not null; container = container.ContainingType)
            {
                bool partial = container.DeclaringSyntaxReferences
                    .Select(reference => reference.GetSyntax(cancellationToken))
                    .OfType<TypeDeclarationSyntax>()
                    .Any(declaration => declaration.Modifiers.Any(SyntaxKind.PartialKeyword));
                if (!partial)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
