using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Papyra.Cli.Commands.Backup;
using Papyra.Cli.Tests.Infrastructure;
using Papyra.Persistence;
using Papyra.Persistence.Rotating;

namespace Papyra.Cli.Tests.Backup;

/// <summary>What a backup captures of a rotating set that keeps rotating: a run of records without a hole.</summary>
public sealed partial class RotatingSnapshotTests
{
    [Fact]
    public async Task A_full_set_captured_while_it_rotates_holds_consecutive_records()
    {
        // A full set (every rotation deletes the oldest file) keeps the same file names from one
        // rotation to the next; a rotation while the snapshot opens its files moves contents under
        // names it has yet to open.
        using var dir = new StoreDirectory();
        var options = new RotatingFilePersistenceOptions { Path = dir.Store, MaxBytes = 2048, MaxFiles = 4, PublishMetrics = false, Durability = PersistenceDurability.Fsync };
        int captures = 0;
        long written;
        var problems = new List<string>();
        await using (var writer = new RotatingFilePersistenceBackend(options))
        {
            using var stop = new CancellationTokenSource();
            // Numbers taken in order by writers that do not wait for each other's fsync, so the set
            // rotates often; each line is written before the next number is taken.
            long next = 0;
            var gate = new SemaphoreSlim(1, 1);
            Task[] writing = [.. Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    Task durable;
                    await gate.WaitAsync();
                    try
                    {
                        durable = writer.RecordEventAsync(Event(next++)).AsTask();
                    }
                    finally
                    {
                        gate.Release();
                    }

                    await durable;
                }
            }))];

            // At least 3 s, and until the set has rotated about 20 times (14 records a file).
            var started = System.Diagnostics.Stopwatch.StartNew();
            while (problems.Count == 0 && (started.Elapsed < TimeSpan.FromSeconds(3) || Volatile.Read(ref next) < 280) && started.Elapsed < TimeSpan.FromSeconds(30))
            {
                IReadOnlyList<SnapshotMember> members;
                try
                {
                    members = StoreSnapshot.CaptureRotating(dir.Store);
                }
                catch (IOException)
                {
                    continue; // kept rotating for every attempt: no snapshot, nothing wrong captured
                }

                captures++;
                var numbers = new List<long>();
                foreach (SnapshotMember member in members)
                {
                    byte[] bytes = new byte[member.Length];
                    RandomAccess.Read(member.Handle, bytes, 0);
                    numbers.AddRange(Number().Matches(Encoding.UTF8.GetString(bytes)).Select(m => long.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture)));
                    member.Dispose();
                }

                for (int k = 1; k < numbers.Count; k++)
                {
                    if (numbers[k] != numbers[k - 1] + 1)
                    {
                        problems.Add($"capture {captures}: record {numbers[k - 1]} then {numbers[k]} ({string.Join(", ", members.Select(m => m.Name + " " + m.Length))})");
                        break;
                    }
                }
            }

            await stop.CancelAsync();
            await Task.WhenAll(writing);
            written = next;
        }

        Assert.True(captures > 20, $"only {captures} captures");
        Assert.True(written >= 280, $"only {written} records written: the set hardly rotated");
        Assert.Empty(problems);
    }

    private static PersistedEvent Event(long seq)
    {
        using JsonDocument payload = JsonDocument.Parse($"{{\"i\":{seq.ToString(CultureInfo.InvariantCulture)}}}");
        return new PersistedEvent("local", new ActorAddress("local", 1), "Appended", payload.RootElement.Clone(), 1_700_000_000 + seq);
    }

    [GeneratedRegex("\"i\":([0-9]+)")]
    private static partial Regex Number();
}
