using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Papyra.Generators.Common
{
    /// <summary>Reads a <see cref="TypeShape"/> from a symbol (parse step only; the shape holds no symbol).</summary>
    internal static class TypeShapes
    {
        /// <summary>The fully qualified format with <c>global::</c>, nullable annotations and special type keywords.</summary>
        public static readonly SymbolDisplayFormat FullyQualified = SymbolDisplayFormat.FullyQualifiedFormat
            .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        /// <summary>Describes where <paramref name="type"/> is declared, or returns null for shapes the generators do not support.</summary>
        /// <param name="type">A named type.</param>
        /// <returns>The shape, or null.</returns>
        public static TypeShape? Create(INamedTypeSymbol type)
        {
            TypeDeclaration? declaration = Declaration(type);
            if (declaration is null)
            {
                return null;
            }

            var containers = new List<TypeDeclaration>();
            bool isPublic = type.DeclaredAccessibility == Accessibility.Public;
            for (INamedTypeSymbol? container = type.ContainingType; container is not null; container = container.ContainingType)
            {
                TypeDeclaration? containerDeclaration = Declaration(container);
                if (containerDeclaration is null)
                {
                    return null;
                }

                containers.Insert(0, containerDeclaration);
                isPublic &= container.DeclaredAccessibility == Accessibility.Public;
            }

            string ns = type.ContainingNamespace is { IsGlobalNamespace: false } namespaceSymbol ? namespaceSymbol.ToDisplayString() : string.Empty;
            return new TypeShape(ns, EquatableArray<TypeDeclaration>.From(containers), declaration, type.ToDisplayString(FullyQualified), isPublic);
        }

        private static TypeDeclaration? Declaration(INamedTypeSymbol type)
        {
            string? keyword = type.TypeKind switch
            {
                TypeKind.Class => type.IsRecord ? "record" : "class",
                TypeKind.Struct => type.IsRecord ? "record struct" : "struct",
                TypeKind.Interface => "interface",
                _ => null,
            };
            if (keyword is null)
            {
                return null;
            }

            string typeParameters = type.TypeParameters.Length == 0
                ? string.Empty
                : "<" + string.Join(", ", type.TypeParameters.Select(p => p.Name)) + ">";
            return new TypeDeclaration(keyword, type.Name, typeParameters);
        }
    }
}
