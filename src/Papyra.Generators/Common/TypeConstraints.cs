using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Papyra.Generators.Common
{
    /// <summary>Renders a generic type's <c>where</c> clauses, so generated generic types and methods keep its constraints.</summary>
    internal static class TypeConstraints
    {
        /// <summary>The <c>where</c> clauses of <paramref name="type"/>'s own type parameters, space-separated, or empty.</summary>
        /// <param name="type">A type.</param>
        /// <returns>The clauses.</returns>
        public static string Render(INamedTypeSymbol type)
        {
            var clauses = new List<string>();
            foreach (ITypeParameterSymbol parameter in type.TypeParameters)
            {
                var constraints = new List<string>();
                if (parameter.HasReferenceTypeConstraint)
                {
                    constraints.Add(parameter.ReferenceTypeConstraintNullableAnnotation == NullableAnnotation.Annotated ? "class?" : "class");
                }
                else if (parameter.HasUnmanagedTypeConstraint)
                {
                    constraints.Add("unmanaged");
                }
                else if (parameter.HasValueTypeConstraint)
                {
                    constraints.Add("struct");
                }
                else if (parameter.HasNotNullConstraint)
                {
                    constraints.Add("notnull");
                }

                constraints.AddRange(parameter.ConstraintTypes.Select(t => t.ToDisplayString(TypeShapes.FullyQualified)));
                if (parameter.HasConstructorConstraint && !parameter.HasValueTypeConstraint)
                {
                    constraints.Add("new()");
                }

                if (constraints.Count > 0)
                {
                    clauses.Add("where " + parameter.Name + " : " + string.Join(", ", constraints));
                }
            }

            return string.Join(" ", clauses);
        }
    }
}
