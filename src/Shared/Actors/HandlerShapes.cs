using System.Linq;
using Microsoft.CodeAnalysis;

namespace Papyra.Shared.Actors
{
    /// <summary>
    /// The one definition of a handler (SPEC §3), compiled into both Papyra.Generators and Papyra.Analyzers
    /// (a linked source file: they are separate netstandard2.0 assemblies). The generator dispatches exactly
    /// the methods this accepts; PAP1003 reports every candidate it rejects, with its <see cref="HandlerShape.Problem"/>;
    /// PAP1004 and the generator's duplicate check share <see cref="IsSameMessageType"/>. Change the rules here,
    /// never in one of the two assemblies, and HandlerShapeAgreementTests proves they still agree.
    /// </summary>
    internal static class HandlerShapes
    {
        /// <summary>The metadata name of the marker attribute.</summary>
        public const string ActorAttributeName = "Papyra.ActorAttribute";

        /// <summary>The metadata name of the actor base class.</summary>
        public const string ActorBaseName = "Papyra.Actor";

        /// <summary>The tool name in the generator's <c>[GeneratedCode]</c> attributes.</summary>
        public const string GeneratorName = "Papyra.Generators";

        /// <summary>The name of the dispatch method the generator overrides.</summary>
        public const string ReceiveMethodName = "ReceiveAsync";

        private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.MinimallyQualifiedFormat
            .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        /// <summary>
        /// Whether a member of an <c>[Actor]</c> class is a handler candidate: a public instance ordinary method that
        /// implements no interface member and overrides nothing that is dispatched elsewhere or belongs to the runtime
        /// (overrides of <c>object</c>'s, <c>Papyra.Actor</c>'s or a base <c>[Actor]</c>'s methods are not handlers; an
        /// override of another base class's public method is, since nothing else dispatches to it).
        /// </summary>
        /// <param name="method">A member of an actor class.</param>
        /// <returns>True for candidates: each is either a valid handler or reported by PAP1003.</returns>
        public static bool IsCandidate(IMethodSymbol method) =>
            method.MethodKind == MethodKind.Ordinary
            && method.DeclaredAccessibility == Accessibility.Public
            && !method.IsStatic
            && !method.IsImplicitlyDeclared
            && (!method.IsOverride || !OverridesDispatchedOrRuntimeMember(method))
            && !ImplementsInterfaceMember(method);

        /// <summary>Classifies a candidate: a valid handler's message, token and reply, or why it is not a handler.</summary>
        /// <param name="method">A handler candidate (see <see cref="IsCandidate"/>).</param>
        /// <param name="compilation">The compilation the method belongs to.</param>
        /// <returns>The shape; <see cref="HandlerShape.IsValid"/> tells whether the generator dispatches it.</returns>
        public static HandlerShape Classify(IMethodSymbol method, Compilation compilation)
        {
            if (method.IsGenericMethod)
            {
                return HandlerShape.Invalid("it is generic");
            }

            if (method.ReturnsByRef || method.ReturnsByRefReadonly)
            {
                return HandlerShape.Invalid("it returns by reference");
            }

            var parameters = method.Parameters;
            if (parameters.Length == 0)
            {
                return HandlerShape.Invalid("it takes no message parameter");
            }

            foreach (IParameterSymbol parameter in parameters)
            {
                if (parameter.RefKind != RefKind.None)
                {
                    return HandlerShape.Invalid($"parameter '{parameter.Name}' is passed by reference");
                }
            }

            INamedTypeSymbol? cancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
            ITypeSymbol declared = parameters[0].Type;
            ITypeSymbol message = MessageType(declared);
            if (IsCancellationToken(message, cancellationToken))
            {
                return HandlerShape.Invalid("its first parameter must be the message, not a CancellationToken");
            }

            if (parameters.Length > 2 || (parameters.Length == 2 && !IsCancellationToken(parameters[1].Type, cancellationToken)))
            {
                return HandlerShape.Invalid("it takes more than one message parameter (only a CancellationToken may follow the message)");
            }

            if (message.TypeKind == TypeKind.Error)
            {
                // The compiler already reports the unknown type.
                return HandlerShape.Invalid("its message type does not compile", isCompilerError: true);
            }

            if (!CanBeMatchedByType(message))
            {
                return HandlerShape.Invalid($"a message of type '{declared.ToDisplayString(TypeFormat)}' cannot be matched by a type pattern (dynamic, pointers and ref structs cannot)");
            }

            if (ClassifyReturn(method.ReturnType, compilation) is not { } reply)
            {
                return method.ReturnType.TypeKind == TypeKind.Error || ContainsErrorType(method.ReturnType)
                    ? HandlerShape.Invalid("its return type does not compile", isCompilerError: true)
                    : HandlerShape.Invalid($"it returns '{method.ReturnType.ToDisplayString(TypeFormat)}', whose result cannot be a reply (dynamic, pointers and ref structs cannot)");
            }

            return HandlerShape.Valid(message, parameters.Length == 2, reply.Kind, reply.Result);
        }

        /// <summary>
        /// The type a handler's message is dispatched on: the parameter type without nullable annotation, and a nullable
        /// value type's underlying type (a message is never null, and a boxed <c>int?</c> is a boxed <c>int</c>).
        /// </summary>
        /// <param name="parameterType">The handler's first parameter type.</param>
        /// <returns>The type the dispatch matches.</returns>
        public static ITypeSymbol MessageType(ITypeSymbol parameterType)
        {
            ITypeSymbol type = parameterType is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable
                ? nullable.TypeArguments[0]
                : parameterType;
            return type.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
        }

        /// <summary>
        /// Whether two message types are the same to the dispatch (an identity conversion: tuple element names,
        /// nullable annotations and <c>object</c>/<c>dynamic</c> do not tell messages apart), so only the first
        /// handler of the two can run.
        /// </summary>
        /// <param name="compilation">The compilation.</param>
        /// <param name="left">A message type (see <see cref="MessageType"/>).</param>
        /// <param name="right">Another message type.</param>
        /// <returns>True when the second handler would never run.</returns>
        public static bool IsSameMessageType(Compilation compilation, ITypeSymbol left, ITypeSymbol right) =>
            compilation.ClassifyCommonConversion(left, right).IsIdentity;

        /// <summary>
        /// Whether an <c>[Actor]</c> class declares its own <c>ReceiveAsync</c>, so the generator leaves its dispatch to its
        /// author. The generator's own override (marked <c>[GeneratedCode("Papyra.Generators", ...)]</c>, visible to the
        /// analyzers once it exists) does not count.
        /// </summary>
        /// <param name="type">The actor class.</param>
        /// <returns>True when it declares one.</returns>
        public static bool DeclaresOwnReceive(INamedTypeSymbol type) =>
            type.GetMembers(ReceiveMethodName).OfType<IMethodSymbol>().Any(m => m.Parameters.Length == 2 && !IsGeneratedByPapyra(m));

        private static bool IsGeneratedByPapyra(IMethodSymbol method) =>
            method.GetAttributes().Any(a =>
                a.AttributeClass?.ToDisplayString() == "System.CodeDom.Compiler.GeneratedCodeAttribute"
                && a.ConstructorArguments.Length > 0
                && a.ConstructorArguments[0].Value as string == GeneratorName);

        /// <summary>Whether a type carries <c>[Actor]</c>.</summary>
        /// <param name="type">The type.</param>
        /// <returns>True when marked.</returns>
        public static bool IsMarkedActor(INamedTypeSymbol type) =>
            type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == ActorAttributeName);

        private static (HandlerReturnKind Kind, ITypeSymbol? Result)? ClassifyReturn(ITypeSymbol returnType, Compilation compilation)
        {
            if (returnType.SpecialType == SpecialType.System_Void)
            {
                return (HandlerReturnKind.Void, null);
            }

            if (!CanBeReply(returnType))
            {
                return null;
            }

            if (returnType is INamedTypeSymbol named)
            {
                INamedTypeSymbol definition = named.OriginalDefinition;
                if (Is(definition, compilation, "System.Threading.Tasks.Task"))
                {
                    return (HandlerReturnKind.Task, null);
                }

                if (Is(definition, compilation, "System.Threading.Tasks.ValueTask"))
                {
                    return (HandlerReturnKind.ValueTask, null);
                }

                if (Is(definition, compilation, "System.Threading.Tasks.Task`1"))
                {
                    return CanBeReply(named.TypeArguments[0]) ? (HandlerReturnKind.TaskOfT, named.TypeArguments[0]) : null;
                }

                if (Is(definition, compilation, "System.Threading.Tasks.ValueTask`1"))
                {
                    return CanBeReply(named.TypeArguments[0]) ? (HandlerReturnKind.ValueTaskOfT, named.TypeArguments[0]) : null;
                }
            }

            return (HandlerReturnKind.Value, returnType);
        }

        // A reply is boxed to object without a dynamic call: no pointers, ref structs, dynamic or unknown types.
        private static bool CanBeReply(ITypeSymbol type) =>
            type.TypeKind is not (TypeKind.Dynamic or TypeKind.Pointer or TypeKind.FunctionPointer or TypeKind.Error) && !type.IsRefLikeType;

        // A type pattern accepts no dynamic, pointers or ref structs (nullable value types are unwrapped by MessageType).
        private static bool CanBeMatchedByType(ITypeSymbol type) =>
            type.TypeKind is not (TypeKind.Dynamic or TypeKind.Pointer or TypeKind.FunctionPointer or TypeKind.Error) && !type.IsRefLikeType;

        private static bool ContainsErrorType(ITypeSymbol type) =>
            type.TypeKind == TypeKind.Error || (type is INamedTypeSymbol named && named.TypeArguments.Any(ContainsErrorType));

        private static bool IsCancellationToken(ITypeSymbol type, INamedTypeSymbol? cancellationToken) =>
            cancellationToken is not null && SymbolEqualityComparer.Default.Equals(type, cancellationToken);

        private static bool Is(INamedTypeSymbol definition, Compilation compilation, string metadataName) =>
            SymbolEqualityComparer.Default.Equals(definition, compilation.GetTypeByMetadataName(metadataName));

        // The root of an override chain decides: object's and Actor's members are the runtime's, and a base [Actor]
        // dispatches its own handlers (the derived actor falls back to that dispatch, which calls the override).
        private static bool OverridesDispatchedOrRuntimeMember(IMethodSymbol method)
        {
            for (IMethodSymbol? overridden = method.OverriddenMethod; overridden is not null; overridden = overridden.OverriddenMethod)
            {
                INamedTypeSymbol declaring = overridden.ContainingType.OriginalDefinition;
                if (declaring.SpecialType == SpecialType.System_Object || declaring.ToDisplayString() == ActorBaseName || IsMarkedActor(declaring))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool ImplementsInterfaceMember(IMethodSymbol method)
        {
            INamedTypeSymbol type = method.ContainingType;
            foreach (INamedTypeSymbol @interface in type.AllInterfaces)
            {
                foreach (ISymbol member in @interface.GetMembers(method.Name))
                {
                    if (SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(member), method))
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }
}
