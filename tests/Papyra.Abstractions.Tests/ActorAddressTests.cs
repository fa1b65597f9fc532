namespace Papyra.Abstractions.Tests;

public sealed class ActorAddressTests
{
    [Theory]
    [InlineData("local:1", "local", 1L)]
    [InlineData("node-a.eu_1:42", "node-a.eu_1", 42L)]
    [InlineData("S:9223372036854775807", "S", long.MaxValue)]
    public void Parse_reads_the_canonical_form(string text, string system, long id)
    {
        ActorAddress address = ActorAddress.Parse(text);

        Assert.Equal(system, address.System);
        Assert.Equal(id, address.Id);
        Assert.Equal(text, address.ToString());
    }

    [Theory]
    [InlineData("local", 1L)]
    [InlineData("x", 7L)]
    [InlineData("a.b-c_d", 123456789L)]
    public void Formatting_then_parsing_round_trips(string system, long id)
    {
        var original = new ActorAddress(system, id);

        Assert.Equal(original, ActorAddress.Parse(original.ToString()));
        Assert.True(ActorAddress.TryParse(original.ToString(), out ActorAddress parsed));
        Assert.Equal(original, parsed);
        Span<char> buffer = stackalloc char[64];
        Assert.True(original.TryFormat(buffer, out int written, default, null));
        Assert.Equal(original.ToString(), buffer[..written].ToString());
        Assert.Equal(original, ActorAddress.Parse(buffer[..written], null));
    }

    [Theory]
    [InlineData("", "expected the form 'system:id'")]
    [InlineData("local", "expected the form 'system:id'")]
    [InlineData("local://1", "actor id must be a whole number")]
    [InlineData(":1", "system id it is empty")]
    [InlineData("lo cal:1", "character ' ' is not allowed")]
    [InlineData("local:0", "actor ids start at 1")]
    [InlineData("local:-1", "actor id must be a whole number")]
    [InlineData("local:+1", "actor id must be a whole number")]
    [InlineData("local: 1", "actor id must be a whole number")]
    [InlineData("local:1 ", "actor id must be a whole number")]
    [InlineData("local:", "actor id must be a whole number")]
    [InlineData("local:1:2", "actor id must be a whole number")]
    [InlineData("local:1.5", "actor id must be a whole number")]
    [InlineData("local:99999999999999999999", "actor id must be a whole number")]
    [InlineData("läcal:1", "character 'ä' is not allowed")]
    public void Parse_rejects_invalid_text_with_a_message_naming_it(string text, string reason)
    {
        FormatException error = Assert.Throws<FormatException>(() => ActorAddress.Parse(text));

        Assert.Contains($"'{text}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message.Replace("system id the", "system id", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.False(ActorAddress.TryParse(text, out ActorAddress failed));
        Assert.True(failed.IsEmpty);
    }

    [Fact]
    public void Parse_rejects_a_system_id_longer_than_the_limit()
    {
        string text = new string('s', ActorAddress.MaxSystemIdLength + 1) + ":1";

        FormatException error = Assert.Throws<FormatException>(() => ActorAddress.Parse(text));

        Assert.Contains("longer than 128 characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_of_null_is_false()
    {
        Assert.False(ActorAddress.TryParse((string?)null, out _));
    }

    [Fact]
    public void Constructor_rejects_invalid_parts_with_clear_messages()
    {
        ArgumentException system = Assert.Throws<ArgumentException>(() => new ActorAddress("a:b", 1));
        Assert.Contains("'a:b'", system.Message, StringComparison.Ordinal);

        ArgumentOutOfRangeException id = Assert.Throws<ArgumentOutOfRangeException>(() => new ActorAddress("local", 0));
        Assert.Contains("actor ids start at 1", id.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Equality_is_by_system_and_id()
    {
        Assert.Equal(new ActorAddress("local", 1), new ActorAddress("local", 1));
        Assert.NotEqual(new ActorAddress("local", 1), new ActorAddress("local", 2));
        Assert.NotEqual(new ActorAddress("local", 1), new ActorAddress("Local", 1));
        Assert.True(new ActorAddress("a", 3) == ActorAddress.Parse("a:3"));
        Assert.Equal(new ActorAddress("a", 3).GetHashCode(), ActorAddress.Parse("a:3").GetHashCode());
    }

    [Fact]
    public void Default_value_is_empty_and_formats_as_empty_text()
    {
        ActorAddress empty = default;

        Assert.True(empty.IsEmpty);
        Assert.Equal(string.Empty, empty.ToString());
        Assert.False(new ActorAddress("local", 1).IsEmpty);
    }
}
