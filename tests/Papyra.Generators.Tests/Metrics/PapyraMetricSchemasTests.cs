using System.Diagnostics.Metrics;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Papyra.Metrics;
using Papyra.Persistence;
using Papyra.TestSupport;

namespace Papyra.Generators.Tests.Metrics;

/// <summary>The persistence and runtime metric schemas as the generator expanded them into Papyra's assemblies.</summary>
public sealed partial class PapyraMetricSchemasTests
{
    private static readonly string[] PersistenceNames =
    [
        "records_written", "bytes_written", "write_errors", "records_read", "read_errors", "scans", "scan_errors",
        "anomalies_detected", "recoveries", "recovery_errors", "compactions", "compaction_errors", "rotations",
        "rotation_dropped_records",
    ];

    [Fact]
    public void Metric_names_match_the_approved_list()
    {
        var text = new StringBuilder();
        text.Append("# Papyra metric names, generated from the [MetricSchema]/[Metric] declarations.\n");
        text.Append("# name | kind | unit | Prometheus name | System.Diagnostics.Metrics instrument\n");
        Describe(text, typeof(PersistenceMetricsSnapshot), PersistenceMetricNames.All, PersistenceMetricNames.Prometheus.All, PersistenceMetricNames.Instruments.MeterName);
        Describe(text, typeof(RuntimeMetricsSnapshot), RuntimeMetricNames.All, RuntimeMetricNames.Prometheus.All, RuntimeMetricNames.Instruments.MeterName);

        Approvals.Verify("metrics.txt", text.ToString());
    }

    [Fact]
    public void Persistence_schema_keeps_the_fourteen_names_in_snapshot_order()
    {
        Assert.Equal(PersistenceNames, PersistenceMetricNames.All);
        Assert.Equal("Papyra.Persistence", PersistenceMetricsInstruments.MeterName);
    }

    [Fact]
    public void Runtime_schema_names_are_snake_case_and_published_on_the_runtime_meter()
    {
        Assert.Equal(
            ["messages_processed", "dead_letters", "restarts", "late_replies_dropped", "mailbox_depth", "actors_alive"],
            RuntimeMetricNames.All);
        Assert.Equal("Papyra.Runtime", RuntimeMetricsInstruments.MeterName);
    }

    [Fact]
    public void ToDictionary_keys_values_by_generated_name_and_FromDictionary_reads_them_back()
    {
        var snapshot = new PersistenceMetricsSnapshot { RecordsWritten = 3, BytesWritten = 120, RotationDroppedRecords = 9 };

        IReadOnlyDictionary<string, long> values = snapshot.ToDictionary();

        Assert.Equal(PersistenceMetricNames.All, values.Keys);
        Assert.Equal(120, values[PersistenceMetricNames.BytesWritten]);
        Assert.Equal(snapshot, PersistenceMetricsSnapshot.FromDictionary(values));
    }

    [Fact]
    public void FromDictionary_reads_missing_names_as_zero_and_ignores_unknown_ones()
    {
        var values = new Dictionary<string, long> { [RuntimeMetricNames.Restarts] = 2, ["unknown"] = 5 };

        RuntimeMetricsSnapshot snapshot = RuntimeMetricsSnapshot.FromDictionary(values);

        Assert.Equal(RuntimeMetricsSnapshot.Zero with { Restarts = 2 }, snapshot);
    }

    [Fact]
    public void FromDictionary_rejects_null_naming_the_parameter()
    {
        ArgumentNullException error = Assert.Throws<ArgumentNullException>(() => PersistenceMetricsSnapshot.FromDictionary(null!));
        Assert.Equal("values", error.ParamName);
    }

    [Fact]
    public void ToJson_writes_one_compact_object_in_schema_order()
    {
        var snapshot = new RuntimeMetricsSnapshot { MessagesProcessed = 7, MailboxDepth = 2 };

        Assert.Equal(
            """{"messages_processed":7,"dead_letters":0,"restarts":0,"late_replies_dropped":0,"mailbox_depth":2,"actors_alive":0}""",
            snapshot.ToJson());
    }

    [Fact]
    public void WritePrometheus_writes_help_type_and_value_lines_per_metric()
    {
        var writer = new StringWriter();

        new RuntimeMetricsSnapshot { DeadLetters = 4, ActorsAlive = 3 }.WritePrometheus(writer);

        string text = writer.ToString();
        Assert.Contains("# HELP papyra_runtime_dead_letters_total Messages that could not be delivered or processed and became dead letters.\n# TYPE papyra_runtime_dead_letters_total counter\npapyra_runtime_dead_letters_total 4\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE papyra_runtime_actors_alive gauge\npapyra_runtime_actors_alive 3\n", text, StringComparison.Ordinal);
        Assert.Equal(RuntimeMetricNames.All.Count * 3, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Instruments_publish_the_source_values_on_the_schema_meter_with_the_given_tags()
    {
        var observed = new Dictionary<string, (long Value, string? System)>(StringComparer.Ordinal);
        using var instruments = new PersistenceMetricsInstruments(
            () => new PersistenceMetricsSnapshot { RecordsWritten = 11, ScanErrors = 1 },
            new KeyValuePair<string, object?>("papyra.system", "local"));
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, instruments.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            observed[instrument.Name] = (value, tags.ToArray().SingleOrDefault(t => t.Key == "papyra.system").Value as string));
        listener.Start();

        listener.RecordObservableInstruments();

        Assert.Equal(PersistenceMetricNames.All.Count, observed.Count);
        Assert.Equal((11L, "local"), observed[PersistenceMetricNames.Instruments.RecordsWritten]);
        Assert.Equal((1L, "local"), observed["papyra.persistence.scan_errors"]);
        Assert.Equal("Papyra.Persistence", instruments.Meter.Name);
    }

    [Fact]
    public void Gauges_are_published_as_observable_gauges_and_counters_as_observable_counters()
    {
        var kinds = new Dictionary<string, Type>(StringComparer.Ordinal);
        using var instruments = new RuntimeMetricsInstruments(() => RuntimeMetricsSnapshot.Zero);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, _) =>
        {
            if (ReferenceEquals(instrument.Meter, instruments.Meter))
            {
                kinds[instrument.Name] = instrument.GetType().GetGenericTypeDefinition();
            }
        };
        listener.Start();

        Assert.Equal(typeof(ObservableGauge<>), kinds[RuntimeMetricNames.Instruments.MailboxDepth]);
        Assert.Equal(typeof(ObservableCounter<>), kinds[RuntimeMetricNames.Instruments.MessagesProcessed]);
    }

    [Fact]
    public void No_source_file_spells_a_metric_name_outside_its_schema_declaration()
    {
        string[] names = [.. PersistenceMetricNames.All, .. RuntimeMetricNames.All];
        var offenders = new List<string>();
        foreach (string root in new[] { "src", "samples" }.Select(d => Path.Combine(Approvals.RepositoryRoot, d)).Where(Directory.Exists))
        {
            foreach (string file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
            {
                if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                {
                    continue;
                }

                string[] lines = File.ReadAllLines(file);
                for (int i = 0; i < lines.Length; i++)
                {
                    string line = lines[i].TrimStart();
                    // A word that is also a metric name can mean something else (the record count
                    // "dead_letters" of `inspect summary`); such a line says so explicitly.
                    if (line.StartsWith("[Metric(", StringComparison.Ordinal) || line.StartsWith("//", StringComparison.Ordinal)
                        || line.Contains("// not a metric:", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    foreach (Match literal in StringLiteral().Matches(lines[i]))
                    {
                        if (names.Contains(literal.Groups[1].Value, StringComparer.Ordinal))
                        {
                            offenders.Add($"{Path.GetRelativePath(Approvals.RepositoryRoot, file)}:{i + 1}: {lines[i].Trim()}");
                        }
                    }
                }
            }
        }

        Assert.True(offenders.Count == 0, "Use the generated *MetricNames constants instead of these literals:\n" + string.Join('\n', offenders));
    }

    private static void Describe(StringBuilder text, Type snapshot, IReadOnlyList<string> names, IReadOnlyList<string> prometheus, string meter)
    {
        Dictionary<string, MetricAttribute> declared = snapshot.GetCustomAttributes<MetricAttribute>().ToDictionary(a => a.Name, StringComparer.Ordinal);
        text.Append('\n').Append("meter ").Append(meter).Append(" (").Append(snapshot.FullName).Append(")\n");
        for (int i = 0; i < names.Count; i++)
        {
            MetricAttribute metric = declared[names[i]];
            text.Append(names[i]).Append(" | ")
                .Append(metric.Kind == MetricKind.Counter ? "counter" : "gauge").Append(" | ")
                .Append(metric.Unit ?? "-").Append(" | ")
                .Append(prometheus[i]).Append(" | ")
                .Append(meter.ToLowerInvariant()).Append('.').Append(names[i]).Append('\n');
        }
    }

    [GeneratedRegex("\"([a-z0-9_]+)\"")]
    private static partial Regex StringLiteral();
}
