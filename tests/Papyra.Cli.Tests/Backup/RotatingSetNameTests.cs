using Papyra.Cli.Commands.Backup;
using Papyra.Cli.Errors;

namespace Papyra.Cli.Tests.Backup;

/// <summary>How restore finds the name an archived rotating set's files share, so each lands on <c>&lt;path&gt;.N</c>.</summary>
public sealed class RotatingSetNameTests
{
    [Theory]
    [InlineData("/data/events.ndjson", "events.ndjson.2|events.ndjson.1|events.ndjson", "events.ndjson")]
    [InlineData("/data/events.ndjson", "events.ndjson.12|events.ndjson.3|events.ndjson.1", "events.ndjson")]
    [InlineData(null, "events.ndjson.12|events.ndjson.3|events.ndjson.1", "events.ndjson")]
    [InlineData(null, "events.ndjson.2|events.ndjson.1|events.ndjson", "events.ndjson")]
    [InlineData(null, "log.7.2|log.7.1|log.7", "log.7")]
    [InlineData("/data/log.7", "log.7.2|log.7.1", "log.7")]
    [InlineData(null, "events.ndjson", "events.ndjson")]
    public void The_base_is_the_name_every_member_is_or_extends_with_a_rotation_number(string? source, string members, string expected)
    {
        Assert.Equal(expected, BackupRestoreCommand.SetBaseName(source, members.Split('|')));
    }

    [Theory]
    [InlineData("a.ndjson.1|b.ndjson")]
    [InlineData("a.ndjson|b.ndjson")]
    [InlineData("a.ndjson.2|b.ndjson.1")]
    [InlineData("a.ndjson.01|a.ndjson")]
    public void Members_that_are_not_one_set_are_refused_naming_them(string members)
    {
        CliUsageException error = Assert.Throws<CliUsageException>(() => BackupRestoreCommand.SetBaseName(null, members.Split('|')));
        Assert.Contains(members.Split('|')[0], error.Message, StringComparison.Ordinal);
    }
}
