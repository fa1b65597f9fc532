using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Papyra.Cli.Tests.Infrastructure;
using Papyra.Persistence;
using Papyra.Persistence.Json;

namespace Papyra.Cli.Tests.EndToEnd;

/// <summary>
/// <c>inspect … --follow --json --cursor-file</c> as a log shipper runs it: NDJSON on stdout as
/// records are appended, and after a SIGKILL a restart prints exactly the records after the
/// position its cursor file holds.
/// </summary>
public sealed class FollowCommandTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Follow_prints_ndjson_as_records_are_appended_and_resumes_exactly_after_its_cursor_once_killed()
    {
        using var dir = new StoreDirectory();
        string cursor = dir.PathOf("shipper.cursor");
        await using var writer = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = dir.Store, PublishMetrics = false });
        await AppendAsync(writer, 0, 3);

        using (Process first = PapyraProcess.Start(dir.Root, "inspect", "events", "--path", dir.Store, "--follow", "--json", "--cursor-file", cursor))
        {
            try
            {
                Assert.Equal([0L, 1L, 2L], await ReadSeqsAsync(first, 3)); // no cursor yet: every record
                await AppendAsync(writer, 3, 8);
                Assert.Equal([3L, 4L, 5L, 6L, 7L], await ReadSeqsAsync(first, 5));
            }
            finally
            {
                first.Kill(entireProcessTree: true); // SIGKILL
                await first.WaitForExitAsync();
            }
        }

        await AppendAsync(writer, 8, 12);
        PersistencePosition saved = PersistencePosition.Parse(await File.ReadAllTextAsync(cursor));
        var expected = new List<long>();
        await foreach (StoredRecord stored in writer.StreamAsync(new PersistenceReadRequest { After = saved }))
        {
            expected.Add(Seq(((PersistedEvent)stored.Record).Payload));
        }

        Assert.Equal(Enumerable.Range(12 - expected.Count, expected.Count).Select(i => (long)i), expected);
        Assert.True(expected.Count is 4 or 5, $"the cursor follows one of the printed records, not {saved}");
        using Process second = PapyraProcess.Start(dir.Root, "inspect", "events", "--path", dir.Store, "--follow", "--json", "--cursor-file", cursor);
        try
        {
            Assert.Equal(expected, await ReadSeqsAsync(second, expected.Count));
            await AppendAsync(writer, 12, 13);
            Assert.Equal([12L], await ReadSeqsAsync(second, 1));
        }
        finally
        {
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Follow_without_a_cursor_starts_with_the_newest_limit_records()
    {
        using var dir = new StoreDirectory();
        await using var writer = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = dir.Store, PublishMetrics = false });
        await AppendAsync(writer, 0, 30);

        using Process follow = PapyraProcess.Start(dir.Root, "inspect", "events", "--path", dir.Store, "--follow", "--json", "--limit", "3");
        try
        {
            Assert.Equal([27L, 28L, 29L], await ReadSeqsAsync(follow, 3));
            await AppendAsync(writer, 30, 31);
            Assert.Equal([30L], await ReadSeqsAsync(follow, 1));
        }
        finally
        {
            follow.Kill(entireProcessTree: true);
            await follow.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Reverse_lists_the_newest_records_first_and_cannot_be_combined_with_follow()
    {
        using var dir = new StoreDirectory();
        await using (var writer = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = dir.Store, PublishMetrics = false }))
        {
            await AppendAsync(writer, 0, 50);
        }

        CliResult newest = await PapyraProcess.RunAsync(dir.Root, "inspect", "events", "--path", dir.Store, "--reverse", "--limit", "3", "--json");
        CliResult both = await PapyraProcess.RunAsync(dir.Root, "inspect", "events", "--path", dir.Store, "--reverse", "--follow");

        CliAssert.ExitCode(0, newest);
        Assert.Equal([49L, 48L, 47L], newest.Json().EnumerateArray().Select(r => Seq(r.GetProperty("payload"))));
        CliAssert.ExitCode(64, both);
        Assert.Contains("--reverse cannot be combined with --follow", both.StandardError, StringComparison.Ordinal);
    }

    private static async Task<List<long>> ReadSeqsAsync(Process process, int count)
    {
        var seqs = new List<long>();
        while (seqs.Count < count)
        {
            string? line = await process.StandardOutput.ReadLineAsync().WaitAsync(Wait);
            Assert.True(line is not null, $"papyra ended early (exit {(process.HasExited ? process.ExitCode : -1)})");
            using JsonDocument record = JsonDocument.Parse(line);
            seqs.Add(Seq(record.RootElement.GetProperty("payload")));
        }

        return seqs;
    }

    private static long Seq(JsonElement payload) => payload.GetProperty("seq").GetInt64();

    private static async Task AppendAsync(IPersistenceBackend backend, int from, int to)
    {
        for (int i = from; i < to; i++)
        {
            using JsonDocument payload = JsonDocument.Parse($"{{\"seq\":{i.ToString(CultureInfo.InvariantCulture)}}}");
            await backend.RecordEventAsync(new PersistedEvent("local", new ActorAddress("local", 1), "Shipped", payload.RootElement, 1_700_000_000 + i));
        }
    }
}
