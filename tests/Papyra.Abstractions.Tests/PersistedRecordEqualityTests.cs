using System.Text.Json;
using Papyra.Persistence;

namespace Papyra.Abstractions.Tests;

/// <summary>Persisted records compare by content: two reads of the same stored line are equal, whatever the payload's formatting.</summary>
public sealed class PersistedRecordEqualityTests
{
    private static JsonElement Json(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    [Fact]
    public void Events_with_the_same_payload_content_are_equal_and_hash_alike()
    {
        var first = new PersistedEvent("local", new ActorAddress("local", 7), "ActorCrashed", Json("""{"reason":"boom","attempt":2}"""), 1700000000.25);
        var second = new PersistedEvent("local", new ActorAddress("local", 7), "ActorCrashed", Json("""{ "attempt": 2, "reason": "boom" }"""), 1700000000.25);

        Assert.Equal(first, second);
        Assert.True(first == second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.Single(new HashSet<PersistedRecord> { first, second });
    }

    [Fact]
    public void Events_differing_in_payload_or_any_field_are_not_equal()
    {
        var baseline = new PersistedEvent("local", new ActorAddress("local", 7), "ActorCrashed", Json("""{"reason":"boom"}"""), 1.5);

        Assert.Equal(baseline, baseline with { });
        Assert.NotEqual(baseline, new PersistedEvent("local", new ActorAddress("local", 7), "ActorCrashed", Json("""{"reason":"bang"}"""), 1.5));
        Assert.NotEqual(baseline, new PersistedEvent("local", new ActorAddress("local", 8), "ActorCrashed", Json("""{"reason":"boom"}"""), 1.5));
        Assert.NotEqual(baseline, new PersistedEvent("other", new ActorAddress("local", 7), "ActorCrashed", Json("""{"reason":"boom"}"""), 1.5));
        Assert.NotEqual(baseline, new PersistedEvent("local", new ActorAddress("local", 7), "ActorCrashed", Json("""{"reason":"boom"}"""), 2.5));
        Assert.NotEqual<PersistedRecord>(baseline, new PersistedDeadLetter("local", new ActorAddress("local", 7), "ActorCrashed", Json("""{"reason":"boom"}"""), 1.5));
    }

    [Fact]
    public void Dead_letters_compare_payload_content_and_the_reply_flag()
    {
        var first = new PersistedDeadLetter("local", new ActorAddress("local", 2), "Ping", Json("[1, 2, {\"a\": null}]"), 3.0, expectsReply: true);
        var second = new PersistedDeadLetter("local", new ActorAddress("local", 2), "Ping", Json("[1,2,{\"a\":null}]"), 3.0, expectsReply: true);

        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.NotEqual(first, new PersistedDeadLetter("local", new ActorAddress("local", 2), "Ping", Json("[1,2,{\"a\":null}]"), 3.0, expectsReply: false));
        Assert.NotEqual(first, new PersistedDeadLetter("local", new ActorAddress("local", 2), "Ping", Json("[2,1,{\"a\":null}]"), 3.0, expectsReply: true));
    }

    [Fact]
    public void Audits_compare_their_registry_lists_by_content()
    {
        var first = new PersistedAudit("local", 4.0, 3, 2, 0, 1, 3, ["orphan"], ["dead-a", "dead-b"], 5);
        var second = new PersistedAudit("local", 4.0, 3, 2, 0, 1, 3, new List<string> { "orphan" }, new[] { "dead-a", "dead-b" }, 5);

        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.NotEqual(first, new PersistedAudit("local", 4.0, 3, 2, 0, 1, 3, ["orphan"], ["dead-b", "dead-a"], 5));
        Assert.NotEqual(first, new PersistedAudit("local", 4.0, 3, 2, 0, 1, 3, ["orphan"], ["dead-a", "dead-b"], 6));
    }
}
