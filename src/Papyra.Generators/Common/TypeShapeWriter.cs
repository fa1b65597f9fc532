namespace Papyra.Generators.Common
{
    /// <summary>Opens and closes the namespace and containing-type blocks around generated members.</summary>
    internal static class TypeShapeWriter
    {
        /// <summary>Writes the file header, the namespace, and the partial declarations of the containing types.</summary>
        /// <param name="writer">The writer.</param>
        /// <param name="shape">Where the generated code goes.</param>
        public static void OpenContainers(SourceWriter writer, TypeShape shape)
        {
            writer.WriteFileHeader();
            if (shape.Namespace.Length > 0)
            {
                writer.WriteLine("namespace " + shape.Namespace);
                writer.OpenBlock();
            }

            foreach (TypeDeclaration container in shape.ContainingTypes)
            {
                writer.WriteLine(container.PartialHeader);
                writer.OpenBlock();
            }
        }

        /// <summary>Closes what <see cref="OpenContainers"/> opened.</summary>
        /// <param name="writer">The writer.</param>
        /// <param name="shape">Where the generated code went.</param>
        public static void CloseContainers(SourceWriter writer, TypeShape shape)
        {
            for (int i = 0; i < shape.ContainingTypes.Count; i++)
            {
                writer.CloseBlock();
            }

            if (shape.Namespace.Length > 0)
            {
                writer.CloseBlock();
            }
        }
    }
}
