using System;

namespace Papyra.Generators.Common
{
    /// <summary>One type declaration in a chain of nested partial declarations.</summary>
    /// <param name="Keyword">The declaration keyword: <c>class</c>, <c>struct</c>, <c>record</c>, <c>record struct</c> or <c>interface</c>.</param>
    /// <param name="Name">The type name without type parameters.</param>
    /// <param name="TypeParameters">The type parameter list (<c>&lt;T&gt;</c>), or empty.</param>
    internal sealed record TypeDeclaration(string Keyword, string Name, string TypeParameters)
    {
        /// <summary>The header of a partial declaration of this type, e.g. <c>partial class Counter&lt;T&gt;</c>.</summary>
        public string PartialHeader => "partial " + Keyword + " " + Name + TypeParameters;
    }

    /// <summary>Where a type lives: its namespace, the types it is nested in, and its own declaration.</summary>
    /// <param name="Namespace">The namespace, or empty for the global namespace.</param>
    /// <param name="ContainingTypes">The enclosing types, outermost first.</param>
    /// <param name="Declaration">The type itself.</param>
    /// <param name="FullyQualifiedName">The <c>global::</c> qualified name with type parameters.</param>
    /// <param name="IsPublic">Whether the type is visible outside its assembly (itself and every container public).</param>
    internal sealed record TypeShape(
        string Namespace,
        EquatableArray<TypeDeclaration> ContainingTypes,
        TypeDeclaration Declaration,
        string FullyQualifiedName,
        bool IsPublic)
    {
        /// <summary>A stable, file-system-safe name for hint names, e.g. <c>Shop.Outer.Counter_1</c>.</summary>
        public string HintName
        {
            get
            {
                var name = new System.Text.StringBuilder();
                if (Namespace.Length > 0)
                {
                    name.Append(Namespace).Append('.');
                }

                foreach (TypeDeclaration container in ContainingTypes)
                {
                    name.Append(Safe(container)).Append('.');
                }

                return name.Append(Safe(Declaration)).ToString();
            }
        }

        /// <summary>The accessibility keyword of types generated beside this one.</summary>
        public string Accessibility => IsPublic ? "public" : "internal";

        /// <summary>Whether the type is nested in another type.</summary>
        public bool IsNested => ContainingTypes.Count > 0;

        private static string Safe(TypeDeclaration declaration)
        {
            if (declaration.TypeParameters.Length == 0)
            {
                return declaration.Name;
            }

            int arity = declaration.TypeParameters.Split(',').Length;
            return declaration.Name + "_" + arity.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
