namespace Papyra.Analyzers.Tests;

/// <summary>
/// Test-only fixtures for the contract rules, compiled into an in-memory assembly named <c>Papyra.Fixtures</c>
/// (a Papyra assembly other than Papyra.Abstractions): a <c>[PapyraInternal]</c> type and member, a
/// <c>Papyra.*.Internal</c> namespace, private members to reflect into and a second metric schema. They are not stand-ins for anything
/// real and stay when the runtime stub is replaced.
/// </summary>
internal static class FixtureAssembly
{
    /// <summary>The fixtures' source.</summary>
    public const string Source = """
        namespace Papyra
        {
            [PapyraInternal]
            public static class ActorCells
            {
                public static int Count => 0;
                public static void Reset() { }
            }

            public sealed class ActorRegistry
            {
                [PapyraInternal]
                public int Orphans => 0;
                public int Count => 0;
                private int _secret;
                private void Poke() => _secret++;
            }
        }

        namespace Papyra.Fixtures
        {
            // A second metric schema, the way the generator lays one out: a snapshot and its <Stem>MetricNames.
            public sealed record QueueMetricsSnapshot
            {
                public System.Collections.Generic.IReadOnlyDictionary<string, long> ToDictionary() =>
                    new System.Collections.Generic.Dictionary<string, long> { [QueueMetricNames.Depth] = 0 };
            }

            public static class QueueMetricNames
            {
                public const string Depth = "queue_depth";
                public const string Enqueued = "enqueued";
            }
        }

        namespace Papyra.Fixtures.Internal
        {
            public sealed class MailboxCore
            {
                public int Depth => 0;
            }
        }
        """;
}
