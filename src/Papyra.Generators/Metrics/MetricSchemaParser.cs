using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Papyra.Generators.Common;

namespace Papyra.Generators.Metrics
{
    /// <summary>
    /// Turns a type marked <c>[MetricSchema]</c> into a <see cref="MetricSchemaModel"/>. A schema the
    /// generator cannot honour (bad names, duplicates, non-partial containers, generic snapshot) yields
    /// null: the generator stays silent and the compiler or the analyzers tell the user.
    /// </summary>
    internal static class MetricSchemaParser
    {
        /// <summary>The metadata name of the schema attribute.</summary>
        public const string SchemaAttributeName = "Papyra.Metrics.MetricSchemaAttribute";

        /// <summary>The metadata name of the per-metric attribute.</summary>
        public const string MetricAttributeName = "Papyra.Metrics.MetricAttribute";

        private static readonly HashSet<string> ReservedMemberNames = new HashSet<string>(StringComparer.Ordinal)
        {
            "Zero", "ToDictionary", "FromDictionary", "WriteJson", "ToJson", "WritePrometheus", "All",
            "Prometheus", "Instruments", "MeterName", "Meter", "Dispose", "EqualityContract", "ToString",
            "GetHashCode", "Equals", "GetType", "Clone", "Deconstruct", "PrintMembers",
        };

        /// <summary>Syntax-only filter: a partial class, struct or record.</summary>
        /// <param name="node">The node carrying the attribute.</param>
        /// <param name="cancellationToken">Cancellation.</param>
        /// <returns>True for candidates.</returns>
        public static bool IsCandidate(SyntaxNode node, CancellationToken cancellationToken) =>
            node is TypeDeclarationSyntax declaration
            && declaration is not InterfaceDeclarationSyntax
            && declaration.Modifiers.Any(SyntaxKind.PartialKeyword);

        /// <summary>Reads the schema, or returns null when it is not one the generator can emit.</summary>
        /// <param name="context">The attribute context.</param>
        /// <param name="cancellationToken">Cancellation.</param>
        /// <returns>The model, or null.</returns>
        public static MetricSchemaModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not INamedTypeSymbol type
                || type.TypeKind == TypeKind.Interface
                || type.IsGenericType
                || type.IsStatic
                || !AllContainersArePartial(type, cancellationToken)
                || !type.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility == Accessibility.Public))
            {
                return null;
            }

            AttributeData schema = context.Attributes[0];
            if (schema.ConstructorArguments.Length != 1 || schema.ConstructorArguments[0].Value is not string meterName || !IsValidMeterName(meterName))
            {
                return null;
            }

            TypeShape? shape = TypeShapes.Create(type);
            if (shape is null)
            {
                return null;
            }

            string namePrefix = meterName.ToLowerInvariant();
            var metrics = new List<MetricModel>();
            var seenNames = new HashSet<string>(StringComparer.Ordinal);
            var seenProperties = new HashSet<string>(StringComparer.Ordinal);
            foreach (AttributeData attribute in type.GetAttributes())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (attribute.AttributeClass?.ToDisplayString() != MetricAttributeName)
                {
                    continue;
                }

                MetricModel? metric = ParseMetric(attribute, namePrefix);
                if (metric is null || !seenNames.Add(metric.Name) || !seenProperties.Add(metric.PropertyName))
                {
                    return null;
                }

                metrics.Add(metric);
            }

            if (metrics.Count == 0)
            {
                return null;
            }

            string stem = Stem(type.Name);
            string namesType = stem + "MetricNames";
            string instrumentsType = stem + "MetricsInstruments";
            if (namesType == type.Name || instrumentsType == type.Name)
            {
                return null;
            }

            return new MetricSchemaModel(shape, meterName, namesType, instrumentsType, EquatableArray<MetricModel>.From(metrics));
        }

        /// <summary>Converts a snake_case name to PascalCase (<c>records_written</c> → <c>RecordsWritten</c>).</summary>
        /// <param name="snakeCase">A valid metric name.</param>
        /// <returns>The member name.</returns>
        public static string ToPascalCase(string snakeCase)
        {
            var builder = new StringBuilder(snakeCase.Length);
            foreach (string part in snakeCase.Split('_'))
            {
                builder.Append(char.ToUpperInvariant(part[0])).Append(part, 1, part.Length - 1);
            }

            return builder.ToString();
        }

        private static MetricModel? ParseMetric(AttributeData attribute, string namePrefix)
        {
            if (attribute.ConstructorArguments.Length != 3
                || attribute.ConstructorArguments[0].Value is not string name
                || attribute.ConstructorArguments[1].Value is not int kindValue
                || attribute.ConstructorArguments[2].Value is not string description
                || !IsValidMetricName(name)
                || !Enum.IsDefined(typeof(MetricKindModel), kindValue))
            {
                return null;
            }

            string unit = string.Empty;
            foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
            {
                if (argument.Key == "Unit" && argument.Value.Value is string value)
                {
                    unit = value;
                }
            }

            string propertyName = ToPascalCase(name);
            if (ReservedMemberNames.Contains(propertyName))
            {
                return null;
            }

            var kind = (MetricKindModel)kindValue;
            string prometheusName = namePrefix.Replace('.', '_').Replace('-', '_') + "_" + name + (kind == MetricKindModel.Counter ? "_total" : string.Empty);
            string instrumentName = namePrefix + "." + name;
            return new MetricModel(name, propertyName, kind, description.Trim(), unit, prometheusName, instrumentName);
        }

        private static string Stem(string typeName)
        {
            foreach (string suffix in new[] { "MetricsSnapshot", "Snapshot" })
            {
                if (typeName.Length > suffix.Length && typeName.EndsWith(suffix, StringComparison.Ordinal))
                {
                    return typeName.Substring(0, typeName.Length - suffix.Length);
                }
            }

            return typeName;
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

        // snake_case: lower-case letters and digits in words joined by single underscores, starting with a letter.
        private static bool IsValidMetricName(string name)
        {
            if (name.Length == 0 || name[0] < 'a' || name[0] > 'z' || name[name.Length - 1] == '_')
            {
                return false;
            }

            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '_' && name[i - 1] != '_');
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsValidMeterName(string name) =>
            name.Length > 0
            && char.IsLetter(name[0])
            && name.All(c => (c < 128 && char.IsLetterOrDigit(c)) || c == '.' || c == '_' || c == '-')
            && !name.EndsWith(".", StringComparison.Ordinal)
            && name.IndexOf("..", StringComparison.Ordinal) < 0;
    }
}
