namespace Papyra.Analyzers.Tests.Contracts;

public sealed class MetricKeyTests
{
    private const string Usings = """
        using System.Collections.Generic;
        using Papyra.Persistence;

        """;

    [Fact]
    public Task Reports_misspelt_and_unknown_keys_read_from_a_snapshot_dictionary() =>
        Verify<MetricKeyAnalyzer>.AnalyzerAsync(Usings + """
            public static class Report
            {
                public static long Read(PersistenceMetricsSnapshot snapshot)
                {
                    var direct = snapshot.ToDictionary()[{|PAP0004:"records_writen"|}];
                    var metrics = snapshot.ToDictionary();
                    metrics.TryGetValue({|PAP0004:"bytes-written"|}, out var bytes);
                    var known = metrics.ContainsKey({|PAP0004:"no_such_metric"|});
                    var fallback = metrics.GetValueOrDefault({|PAP0004:"scan_erors"|});
                    return direct + bytes + fallback + (known ? 1 : 0);
                }
            }
            """);

    [Fact]
    public Task Accepts_generated_constants_correct_literals_and_other_dictionaries() =>
        Verify<MetricKeyAnalyzer>.AnalyzerAsync(Usings + """
            public static class Report
            {
                public static long Read(PersistenceMetricsSnapshot snapshot, Dictionary<string, long> other, string dynamicKey)
                {
                    var metrics = snapshot.ToDictionary();
                    return metrics[PersistenceMetricNames.RecordsWritten]
                        + metrics["write_errors"]
                        + metrics[dynamicKey]
                        + other["records_writen"];
                }
            }
            """);

    [Fact]
    public Task Checks_each_snapshot_against_its_own_schema() =>
        Verify<MetricKeyAnalyzer>.AnalyzerAsync(Usings + """
            using Papyra.Fixtures;

            public static class Report
            {
                public static long Read(QueueMetricsSnapshot queue, PersistenceMetricsSnapshot persistence) =>
                    queue.ToDictionary()[QueueMetricNames.Depth]
                    + queue.ToDictionary()["enqueued"]
                    + queue.ToDictionary()[{|PAP0004:"records_written"|}]
                    + persistence.ToDictionary()[{|PAP0004:"queue_depth"|}];
            }
            """);

    [Fact]
    public Task Fix_uses_the_names_class_of_the_snapshots_schema() =>
        Verify<MetricKeyAnalyzer>.CodeFixAsync<CodeFixes.MetricKeyToConstantCodeFix>(
            Usings + """
            using Papyra.Fixtures;

            public static class Report
            {
                public static long Read(QueueMetricsSnapshot queue) => queue.ToDictionary()[{|PAP0004:"queue_dept"|}];
            }
            """,
            Usings + """
            using Papyra.Fixtures;

            public static class Report
            {
                public static long Read(QueueMetricsSnapshot queue) => queue.ToDictionary()[QueueMetricNames.Depth];
            }
            """);

    [Fact]
    public Task Fix_replaces_a_misspelt_key_with_the_generated_constant() =>
        Verify<MetricKeyAnalyzer>.CodeFixAsync<CodeFixes.MetricKeyToConstantCodeFix>(
            Usings + """
            public static class Report
            {
                public static long Read(PersistenceMetricsSnapshot snapshot) => snapshot.ToDictionary()[{|PAP0004:"records_writen"|}];
            }
            """,
            Usings + """
            public static class Report
            {
                public static long Read(PersistenceMetricsSnapshot snapshot) => snapshot.ToDictionary()[PersistenceMetricNames.RecordsWritten];
            }
            """);

    [Fact]
    public Task Fix_adds_the_using_when_the_namespace_is_not_imported() =>
        Verify<MetricKeyAnalyzer>.CodeFixAsync<CodeFixes.MetricKeyToConstantCodeFix>(
            """
            public static class Report
            {
                public static long Read(Papyra.Persistence.PersistenceMetricsSnapshot snapshot) => snapshot.ToDictionary()[{|PAP0004:"Compactions"|}];
            }
            """,
            """
            using Papyra.Persistence;

            public static class Report
            {
                public static long Read(Papyra.Persistence.PersistenceMetricsSnapshot snapshot) => snapshot.ToDictionary()[PersistenceMetricNames.Compactions];
            }
            """);

    [Fact]
    public Task Offers_no_fix_when_no_generated_name_is_close() =>
        Verify<MetricKeyAnalyzer>.CodeFixAsync<CodeFixes.MetricKeyToConstantCodeFix>(
            Usings + """
            public static class Report
            {
                public static long Read(PersistenceMetricsSnapshot snapshot) => snapshot.ToDictionary()[{|PAP0004:"uptime_seconds"|}];
            }
            """,
            Usings + """
            public static class Report
            {
                public static long Read(PersistenceMetricsSnapshot snapshot) => snapshot.ToDictionary()[{|PAP0004:"uptime_seconds"|}];
            }
            """);
}
