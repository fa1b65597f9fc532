using System.Text.Json;
using Papyra.Persistence.Redis.Codec;

namespace Papyra.Persistence.Redis.Tests.Codec;

public sealed class PayloadSlabTests
{
    [Fact]
    public void An_entry_not_yet_released_is_never_overwritten_while_other_slabs_are_recycled()
    {
        // Runs on one thread: the entries share this thread's current slab.
        byte[] held = [.. Enumerable.Range(0, 100).Select(i => (byte)i)];
        ReadOnlyMemory<byte> heldCopy = PayloadSlab.Copy(held, out PayloadSlab heldSlab);

        var rng = new Random(7);
        for (int round = 0; round < 50; round++)
        {
            var inFlight = new List<(ReadOnlyMemory<byte> Memory, byte[] Expected, PayloadSlab Slab)>();
            for (int i = 0; i < 2_000; i++)
            {
                byte[] entry = new byte[rng.Next(1, PayloadSlab.MaxEntrySize + 1)];
                rng.NextBytes(entry);
                inFlight.Add((PayloadSlab.Copy(entry, out PayloadSlab slab), entry, slab));
            }

            foreach ((ReadOnlyMemory<byte> memory, byte[] expected, PayloadSlab slab) in inFlight)
            {
                Assert.True(memory.Span.SequenceEqual(expected), "an in-flight entry was overwritten before it was released");
                slab.Release();
            }
        }

        Assert.True(heldCopy.Span.SequenceEqual(held), "the unreleased entry's slab was reused");
        heldSlab.Release();
    }

    [Fact]
    public void Released_slabs_are_reused()
    {
        var slabs = new HashSet<PayloadSlab>(ReferenceEqualityComparer.Instance);
        byte[] entry = new byte[PayloadSlab.MaxEntrySize];
        for (int i = 0; i < 1_000; i++)
        {
            PayloadSlab.Copy(entry, out PayloadSlab slab);
            slabs.Add(slab);
            slab.Release();
        }

        // 1,000 entries of a quarter slab each fill 250 slabs; recycled, a handful serve them all.
        Assert.True(slabs.Count < 20, $"{slabs.Count} distinct slabs");
    }

    [Theory]
    [InlineData(RedisRecordEncoding.MessagePack)]
    [InlineData(RedisRecordEncoding.Json)]
    public void Entries_encoded_in_place_for_appends_stay_intact_until_released_whatever_their_size(RedisRecordEncoding encoding)
    {
        // Sizes from a few bytes to twice a slab: entries that fit the slab's room, entries that outgrow
        // it (encoded aside, then copied into a fresh slab) and entries too large for any slab.
        var rng = new Random(11);
        var held = new List<(ReadOnlyMemory<byte> Payload, byte[] Expected, PayloadSlab? Slab)>();
        for (int i = 0; i < 600; i++)
        {
            int size = i % 50 == 49 ? rng.Next(PayloadSlab.MaxEntrySize, 2 * PayloadSlab.Size) : rng.Next(0, i % 7 == 0 ? 3_000 : 300);
            using var document = JsonDocument.Parse(JsonSerializer.Serialize(new { text = new string((char)('a' + (i % 26)), size), i }));
            var record = new PersistedEvent("local", new ActorAddress("local", i + 1), "Sized", document.RootElement, i);
            RedisRecordCodec.Encode(record, encoding, out byte[] expected);
            RedisRecordCodec.EncodeForAppend(record, encoding, out ReadOnlyMemory<byte> payload, out PayloadSlab? slab);
            // An entry gets an array of its own only when it is too large for a slab's room.
            Assert.True(slab is not null || expected.Length > PayloadSlab.MaxEntrySize, $"an entry of {expected.Length} bytes got an array of its own");
            Assert.True(slab is null || expected.Length <= PayloadSlab.Size, $"an entry of {expected.Length} bytes is in a slab");
            held.Add((payload, expected, slab));

            // Release the older half now and then, so slabs are recycled while others are held.
            if (i % 100 == 99)
            {
                foreach ((ReadOnlyMemory<byte> memory, byte[] bytes, PayloadSlab? owner) in held[..(held.Count / 2)])
                {
                    Assert.True(memory.Span.SequenceEqual(bytes), "an entry changed before it was released");
                    owner?.Release();
                }

                held.RemoveRange(0, held.Count / 2);
            }
        }

        foreach ((ReadOnlyMemory<byte> memory, byte[] bytes, PayloadSlab? owner) in held)
        {
            Assert.True(memory.Span.SequenceEqual(bytes), "an entry changed before it was released");
            owner?.Release();
        }
    }

    [Fact]
    public void A_slab_whose_entries_were_all_released_while_it_was_being_filled_is_not_reused_before_it_is_full()
    {
        // Every entry is released at once, while the thread still fills the slab: the slab must not go
        // back to the pool before the thread lets go of it. The thread takes its next slab before
        // letting go of the full one, so a slab returned early would be handed straight back to it
        // (and the thread would never change slabs).
        PayloadSlab? previous = null;
        int changes = 0;
        byte[] entry = new byte[1_000];
        for (int i = 0; i < 3 * PayloadSlab.Size / entry.Length; i++)
        {
            PayloadSlab.Copy(entry, out PayloadSlab slab);
            slab.Release();
            changes += previous is null || ReferenceEquals(previous, slab) ? 0 : 1;
            previous = slab;
        }

        Assert.True(changes >= 2, $"{changes} slab changes over three slabs' worth of entries");
    }
}
