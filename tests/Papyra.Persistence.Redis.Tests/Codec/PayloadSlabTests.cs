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
}
