namespace Papyra.Persistence.Durability;

/// <summary>
/// Large byte buffers for the logs' pending lines, kept across logs in a process: a log's buffers
/// grow to megabytes in a burst, and a new store (or a new sample of a benchmark) allocating them
/// again on the large-object heap brought gen-2 collections forward, each copying every live actor.
/// <see cref="System.Buffers.ArrayPool{T}.Shared"/> did not keep them: it holds returned arrays per
/// thread first, and the threads that return them here (a log's committer) come and go.
/// </summary>
internal static class StoreBuffers
{
    /// <summary>The smallest buffer handed out.</summary>
    public const int MinimumLength = 16 * 1024;

    // At most this many bytes are kept, in at most this many buffers.
    private const long MaxKeptBytes = 64L * 1024 * 1024;
    private const int MaxKept = 16;

    private static readonly Lock Gate = new();
    private static readonly List<byte[]> Kept = [];
    private static long s_keptBytes;

    /// <summary>A buffer of at least <paramref name="minimumLength"/> bytes (a power of two from 16 KiB), kept or new.</summary>
    public static byte[] Rent(int minimumLength)
    {
        lock (Gate)
        {
            int best = -1;
            for (int i = 0; i < Kept.Count; i++)
            {
                if (Kept[i].Length >= minimumLength && (best < 0 || Kept[i].Length < Kept[best].Length))
                {
                    best = i;
                }
            }

            if (best >= 0)
            {
                byte[] buffer = Kept[best];
                Kept.RemoveAt(best);
                s_keptBytes -= buffer.Length;
                return buffer;
            }
        }

        int length = MinimumLength;
        while (length < minimumLength && length < Array.MaxLength / 2)
        {
            length *= 2;
        }

        return new byte[Math.Max(length, minimumLength)];
    }

    /// <summary>Keeps a buffer for later (or lets it go when enough are kept); the caller no longer uses it.</summary>
    public static void Return(byte[] buffer)
    {
        if (buffer.Length < MinimumLength)
        {
            return;
        }

        lock (Gate)
        {
            if (Kept.Count < MaxKept && s_keptBytes + buffer.Length <= MaxKeptBytes)
            {
                Kept.Add(buffer);
                s_keptBytes += buffer.Length;
            }
        }
    }
}
