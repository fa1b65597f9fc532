using Papyra.Persistence.Redis.Tests.Infrastructure;

namespace Papyra.Persistence.Redis.Tests;

/// <summary>The golden corpus of api/records read through the Redis JSON field, exactly as the file backends read it.</summary>
[Collection(RedisCollection.Name)]
public sealed class PythonCompatibilityTests(RedisServerFixture redis)
{
    public static TheoryData<int> CorpusLines()
    {
        var lines = new TheoryData<int>();
        for (int i = 0; i < File.ReadAllLines(Corpus("python-inputs.ndjson")).Length; i++)
        {
            lines.Add(i);
        }

        return lines;
    }

    [Theory]
    [MemberData(nameof(CorpusLines))]
    public async Task Every_python_papyra_record_shape_in_the_data_field_reads_back_as_the_golden_corpus_says(int line)
    {
        string input = File.ReadAllLines(Corpus("python-inputs.ndjson"))[line];
        string expected = File.ReadAllLines(Corpus("python-inputs.read.ndjson"))[line];
        await using var backend = new RedisStreamsPersistenceBackend(redis.RawConnection, redis.Options());
        await redis.Raw.StreamAddAsync(backend.Keys.Records, "data", input);

        PersistedRecord[] read =
        [
            .. (await backend.ReadEventsAsync()).Records,
            .. (await backend.ReadAuditsAsync()).Records,
            .. (await backend.ReadDeadLettersAsync()).Records,
        ];

        Assert.Equal(expected, RecordText.Line(Assert.Single(read)));
        Assert.False((await backend.ScanAsync()).HasAnomalies);
    }

    private static string Corpus(string name)
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "api", "records", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"api/records/{name} not found above {AppContext.BaseDirectory}.");
    }
}
