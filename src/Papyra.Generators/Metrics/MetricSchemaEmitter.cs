using System.Globalization;
using Papyra.Generators.Common;

namespace Papyra.Generators.Metrics
{
    /// <summary>
    /// Writes the code of one metric schema: the snapshot members, the names class (snake_case,
    /// Prometheus and instrument names) and the <c>System.Diagnostics.Metrics</c> instruments.
    /// </summary>
    internal static class MetricSchemaEmitter
    {
        private const string Dictionary = "global::System.Collections.Generic.Dictionary<string, long>";
        private const string ReadOnlyDictionary = "global::System.Collections.Generic.IReadOnlyDictionary<string, long>";

        /// <summary>The hint name of the snapshot members.</summary>
        /// <param name="model">The schema.</param>
        /// <returns>The hint name.</returns>
        public static string SnapshotHintName(MetricSchemaModel model) => GeneratorInfo.HintPrefix + "Metrics." + model.Snapshot.HintName + ".g.cs";

        /// <summary>The hint name of the names class.</summary>
        /// <param name="model">The schema.</param>
        /// <returns>The hint name.</returns>
        public static string NamesHintName(MetricSchemaModel model) => GeneratorInfo.HintPrefix + "Metrics." + Sibling(model, model.NamesTypeName) + ".g.cs";

        /// <summary>The hint name of the instruments class.</summary>
        /// <param name="model">The schema.</param>
        /// <returns>The hint name.</returns>
        public static string InstrumentsHintName(MetricSchemaModel model) => GeneratorInfo.HintPrefix + "Metrics." + Sibling(model, model.InstrumentsTypeName) + ".g.cs";

        /// <summary>Emits the snapshot's members: properties, <c>Zero</c>, dictionary, JSON and Prometheus forms.</summary>
        /// <param name="model">The schema.</param>
        /// <returns>C# source.</returns>
        public static string EmitSnapshot(MetricSchemaModel model)
        {
            var writer = new SourceWriter();
            TypeShape shape = model.Snapshot;
            string self = shape.FullyQualifiedName;
            string names = NamesReference(model);
            TypeShapeWriter.OpenContainers(writer, shape);

            writer.WriteLine(shape.Declaration.PartialHeader);
            writer.OpenBlock();
            foreach (MetricModel metric in model.Metrics)
            {
                writer.WriteLine("private static readonly global::System.Text.Json.JsonEncodedText s_json" + metric.PropertyName + " = global::System.Text.Json.JsonEncodedText.Encode(" + names + "." + metric.PropertyName + ");");
            }

            writer.WriteLine();
            writer.WriteSummary("A snapshot with every metric at zero.");
            writer.WriteLine("public static " + self + " Zero { get; } = new " + self + "();");
            foreach (MetricModel metric in model.Metrics)
            {
                writer.WriteLine();
                writer.WriteLine("/// <summary>" + SourceWriter.EscapeXml(metric.Description) + " (<c>" + metric.Name + "</c>, " + KindWord(metric.Kind) + ").</summary>");
                writer.WriteLine("public long " + metric.PropertyName + " { get; init; }");
            }

            writer.WriteLine();
            writer.WriteLine("/// <summary>Returns the values keyed by their <see cref=\"" + names + "\"/>, in schema order.</summary>");
            writer.WriteLine("/// <returns>A new dictionary.</returns>");
            writer.WriteLine("public " + ReadOnlyDictionary + " ToDictionary() => new " + Dictionary + "(" + Count(model) + ", global::System.StringComparer.Ordinal)");
            writer.OpenBlock();
            foreach (MetricModel metric in model.Metrics)
            {
                writer.WriteLine("[" + names + "." + metric.PropertyName + "] = " + metric.PropertyName + ",");
            }

            writer.CloseBlock(";");
            writer.WriteLine();
            writer.WriteLine("/// <summary>Builds a snapshot from values keyed by their <see cref=\"" + names + "\"/>; missing names read as zero and unknown names are ignored.</summary>");
            writer.WriteLine("/// <param name=\"values\">The values, for example a parsed metrics JSON file.</param>");
            writer.WriteLine("/// <returns>The snapshot.</returns>");
            writer.WriteLine("/// <exception cref=\"global::System.ArgumentNullException\"><paramref name=\"values\"/> is null.</exception>");
            writer.WriteLine("public static " + self + " FromDictionary(" + ReadOnlyDictionary + " values)");
            writer.OpenBlock();
            writer.WriteLine("if (values is null)");
            writer.OpenBlock();
            writer.WriteLine("throw new global::System.ArgumentNullException(nameof(values));");
            writer.CloseBlock();
            writer.WriteLine();
            writer.WriteLine("return new " + self + "()");
            writer.OpenBlock();
            foreach (MetricModel metric in model.Metrics)
            {
                writer.WriteLine(metric.PropertyName + " = values.TryGetValue(" + names + "." + metric.PropertyName + ", out long " + Local(metric) + ") ? " + Local(metric) + " : 0L,");
            }

            writer.CloseBlock(";");
            writer.CloseBlock();
            writer.WriteLine();
            writer.WriteLine("/// <summary>Writes the values as one JSON object keyed by their <see cref=\"" + names + "\"/>, in schema order.</summary>");
            writer.WriteLine("/// <param name=\"writer\">The JSON writer.</param>");
            writer.WriteLine("/// <exception cref=\"global::System.ArgumentNullException\"><paramref name=\"writer\"/> is null.</exception>");
            writer.WriteLine("public void WriteJson(global::System.Text.Json.Utf8JsonWriter writer)");
            writer.OpenBlock();
            writer.WriteLine("if (writer is null)");
            writer.OpenBlock();
            writer.WriteLine("throw new global::System.ArgumentNullException(nameof(writer));");
            writer.CloseBlock();
            writer.WriteLine();
            writer.WriteLine("writer.WriteStartObject();");
            foreach (MetricModel metric in model.Metrics)
            {
                writer.WriteLine("writer.WriteNumber(s_json" + metric.PropertyName + ", " + metric.PropertyName + ");");
            }

            writer.WriteLine("writer.WriteEndObject();");
            writer.CloseBlock();
            writer.WriteLine();
            writer.WriteLine("/// <summary>Returns the values as compact JSON (see <see cref=\"WriteJson\"/>).</summary>");
            writer.WriteLine("/// <returns>A JSON object.</returns>");
            writer.WriteLine("public string ToJson()");
            writer.OpenBlock();
            writer.WriteLine("var buffer = new global::System.Buffers.ArrayBufferWriter<byte>();");
            writer.WriteLine("using (var json = new global::System.Text.Json.Utf8JsonWriter(buffer))");
            writer.OpenBlock();
            writer.WriteLine("WriteJson(json);");
            writer.CloseBlock();
            writer.WriteLine();
            writer.WriteLine("return global::System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);");
            writer.CloseBlock();
            writer.WriteLine();
            writer.WriteLine("/// <summary>Writes the values in the Prometheus text exposition format (version 0.0.4), with HELP and TYPE lines.</summary>");
            writer.WriteLine("/// <param name=\"writer\">The text writer.</param>");
            writer.WriteLine("/// <exception cref=\"global::System.ArgumentNullException\"><paramref name=\"writer\"/> is null.</exception>");
            writer.WriteLine("public void WritePrometheus(global::System.IO.TextWriter writer)");
            writer.OpenBlock();
            writer.WriteLine("if (writer is null)");
            writer.OpenBlock();
            writer.WriteLine("throw new global::System.ArgumentNullException(nameof(writer));");
            writer.CloseBlock();
            writer.WriteLine();
            foreach (MetricModel metric in model.Metrics)
            {
                string header = "# HELP " + metric.PrometheusName + " " + PrometheusHelp(metric.Description) + "\n"
                    + "# TYPE " + metric.PrometheusName + " " + (metric.Kind == MetricKindModel.Counter ? "counter" : "gauge") + "\n";
                writer.WriteLine("writer.Write(" + SourceWriter.Literal(header) + ");");
                writer.WriteLine("writer.Write(" + names + ".Prometheus." + metric.PropertyName + ");");
                writer.WriteLine("writer.Write(' ');");
                writer.WriteLine("writer.Write(" + metric.PropertyName + ".ToString(global::System.Globalization.CultureInfo.InvariantCulture));");
                writer.WriteLine("writer.Write('\\n');");
            }

            writer.CloseBlock();
            writer.CloseBlock();
            TypeShapeWriter.CloseContainers(writer, shape);
            return writer.ToString();
        }

        /// <summary>Emits the names class: snake_case names, Prometheus names and instrument names.</summary>
        /// <param name="model">The schema.</param>
        /// <returns>C# source.</returns>
        public static string EmitNames(MetricSchemaModel model)
        {
            var writer = new SourceWriter();
            TypeShape shape = model.Snapshot;
            TypeShapeWriter.OpenContainers(writer, shape);
            writer.WriteLine("/// <summary>");
            writer.WriteLine("/// The names of the <c>" + SourceWriter.EscapeXml(model.MeterName) + "</c> metrics as they appear in snapshots, JSON and the CLI.");
            writer.WriteLine("/// Use these constants rather than string literals when reading a snapshot dictionary.");
            writer.WriteLine("/// </summary>");
            writer.WriteLine(shape.Accessibility + " static class " + model.NamesTypeName);
            writer.OpenBlock();
            WriteConstants(writer, model, m => m.Name, m => m.Description + ".");
            writer.WriteLine();
            writer.WriteSummary("Every name, in snapshot order.");
            writer.WriteLine("public static global::System.Collections.Generic.IReadOnlyList<string> All { get; } = global::System.Array.AsReadOnly(new string[]");
            WriteAll(writer, model);
            writer.WriteLine();
            writer.WriteSummary("The names in the Prometheus text exposition format (counters end in _total).");
            writer.WriteLine("public static class Prometheus");
            writer.OpenBlock();
            WriteConstants(writer, model, m => m.PrometheusName, m => "Prometheus name of " + m.Name + ".");
            writer.WriteLine();
            writer.WriteSummary("Every Prometheus name, in snapshot order.");
            writer.WriteLine("public static global::System.Collections.Generic.IReadOnlyList<string> All { get; } = global::System.Array.AsReadOnly(new string[]");
            WriteAll(writer, model);
            writer.CloseBlock();
            writer.WriteLine();
            writer.WriteSummary("The System.Diagnostics.Metrics instrument names, published on the meter " + model.MeterName + ".");
            writer.WriteLine("public static class Instruments");
            writer.OpenBlock();
            writer.WriteSummary("The meter name, for AddMeter in OpenTelemetry.");
            writer.WriteLine("public const string MeterName = " + SourceWriter.Literal(model.MeterName) + ";");
            writer.WriteLine();
            WriteConstants(writer, model, m => m.InstrumentName, m => "Instrument name of " + m.Name + ".");
            writer.CloseBlock();
            writer.CloseBlock();
            TypeShapeWriter.CloseContainers(writer, shape);
            return writer.ToString();
        }

        /// <summary>Emits the instruments class publishing a snapshot source as observable instruments.</summary>
        /// <param name="model">The schema.</param>
        /// <returns>C# source.</returns>
        public static string EmitInstruments(MetricSchemaModel model)
        {
            var writer = new SourceWriter();
            TypeShape shape = model.Snapshot;
            string snapshot = shape.FullyQualifiedName;
            string names = NamesReference(model);
            string tags = "global::System.Collections.Generic.KeyValuePair<string, object?>[]";
            TypeShapeWriter.OpenContainers(writer, shape);
            writer.WriteLine("/// <summary>");
            writer.WriteLine("/// Publishes <see cref=\"" + snapshot + "\"/> values as observable <c>System.Diagnostics.Metrics</c> instruments");
            writer.WriteLine("/// on a meter named <c>" + SourceWriter.EscapeXml(model.MeterName) + "</c>, so OpenTelemetry collects them with <c>AddMeter(\"" + SourceWriter.EscapeXml(model.MeterName) + "\")</c>.");
            writer.WriteLine("/// The source is read when a listener collects, never on the recording path. Dispose to unpublish.");
            writer.WriteLine("/// </summary>");
            writer.WriteLine(shape.Accessibility + " sealed class " + model.InstrumentsTypeName + " : global::System.IDisposable");
            writer.OpenBlock();
            writer.WriteSummary("The meter name.");
            writer.WriteLine("public const string MeterName = " + names + ".Instruments.MeterName;");
            writer.WriteLine();
            writer.WriteLine("private readonly global::System.Func<" + snapshot + "> _source;");
            writer.WriteLine("private readonly " + tags + " _tags;");
            writer.WriteLine();
            writer.WriteSummary("Creates the meter and its instruments.");
            writer.WriteLine("/// <param name=\"source\">Returns the current values; called once per instrument on each collection.</param>");
            writer.WriteLine("/// <param name=\"tags\">Tags added to every measurement (for example the actor system or store).</param>");
            writer.WriteLine("/// <exception cref=\"global::System.ArgumentNullException\"><paramref name=\"source\"/> is null.</exception>");
            writer.WriteLine("public " + model.InstrumentsTypeName + "(global::System.Func<" + snapshot + "> source, params " + tags + " tags)");
            writer.OpenBlock();
            writer.WriteLine("_source = source ?? throw new global::System.ArgumentNullException(nameof(source));");
            writer.WriteLine("_tags = tags ?? global::System.Array.Empty<global::System.Collections.Generic.KeyValuePair<string, object?>>();");
            writer.WriteLine("Meter = new global::System.Diagnostics.Metrics.Meter(MeterName);");
            foreach (MetricModel metric in model.Metrics)
            {
                string create = metric.Kind == MetricKindModel.Counter ? "CreateObservableCounter" : "CreateObservableGauge";
                string unit = metric.Unit.Length == 0 ? "null" : SourceWriter.Literal(metric.Unit);
                writer.WriteLine("Meter." + create + "<long>(" + names + ".Instruments." + metric.PropertyName
                    + ", () => new global::System.Diagnostics.Metrics.Measurement<long>(_source()." + metric.PropertyName + ", _tags), "
                    + unit + ", " + SourceWriter.Literal(metric.Description + ".") + ");");
            }

            writer.CloseBlock();
            writer.WriteLine();
            writer.WriteSummary("The meter the instruments belong to.");
            writer.WriteLine("public global::System.Diagnostics.Metrics.Meter Meter { get; }");
            writer.WriteLine();
            writer.WriteSummary("Disposes the meter, which unpublishes the instruments.");
            writer.WriteLine("public void Dispose() => Meter.Dispose();");
            writer.CloseBlock();
            TypeShapeWriter.CloseContainers(writer, shape);
            return writer.ToString();
        }

        private static void WriteConstants(SourceWriter writer, MetricSchemaModel model, System.Func<MetricModel, string> value, System.Func<MetricModel, string> summary)
        {
            bool first = true;
            foreach (MetricModel metric in model.Metrics)
            {
                if (!first)
                {
                    writer.WriteLine();
                }

                first = false;
                writer.WriteSummary(summary(metric));
                writer.WriteLine("public const string " + metric.PropertyName + " = " + SourceWriter.Literal(value(metric)) + ";");
            }
        }

        private static void WriteAll(SourceWriter writer, MetricSchemaModel model)
        {
            writer.OpenBlock();
            foreach (MetricModel metric in model.Metrics)
            {
                writer.WriteLine(metric.PropertyName + ",");
            }

            writer.CloseBlock(");");
        }

        private static string NamesReference(MetricSchemaModel model)
        {
            TypeShape shape = model.Snapshot;
            string full = shape.FullyQualifiedName;
            int lastDot = full.LastIndexOf('.');
            string prefix = lastDot < 0 ? "global::" : full.Substring(0, lastDot + 1);
            return prefix + model.NamesTypeName;
        }

        private static string Sibling(MetricSchemaModel model, string typeName)
        {
            string hint = model.Snapshot.HintName;
            int lastDot = hint.LastIndexOf('.');
            return lastDot < 0 ? typeName : hint.Substring(0, lastDot + 1) + typeName;
        }

        private static string Count(MetricSchemaModel model) => model.Metrics.Count.ToString(CultureInfo.InvariantCulture);

        private static string Local(MetricModel metric) => char.ToLowerInvariant(metric.PropertyName[0]) + metric.PropertyName.Substring(1);

        private static string KindWord(MetricKindModel kind) => kind == MetricKindModel.Counter ? "counter" : "gauge";

        // HELP text escapes backslash and line feed (Prometheus text format 0.0.4).
        private static string PrometheusHelp(string description) => (description + ".").Replace("\\", "\\\\").Replace("\n", "\\n");
    }
}
