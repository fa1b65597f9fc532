namespace Papyra.Persistence.Retention;

/// <summary>
/// Applies a <see cref="RetentionPolicy"/> to a store's records (all kinds together, oldest first).
/// Every backend uses this one algorithm, on reads (logically) and in compaction (physically):
/// age first, then count (the most recent), then total bytes (the newest records that fit).
/// </summary>
[PapyraInternal]
public static class RetentionEvaluator
{
    /// <summary>Decides which records the policy keeps.</summary>
    /// <param name="candidates">The records, oldest first.</param>
    /// <param name="policy">The policy.</param>
    /// <param name="now">The current time in Unix epoch seconds.</param>
    /// <returns>One flag per record: <see langword="true"/> when it is kept.</returns>
    public static bool[] Evaluate(ReadOnlySpan<RetentionCandidate> candidates, RetentionPolicy policy, double now)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var keep = new bool[candidates.Length];
        double? oldest = policy.MaxAgeSeconds is { } age ? now - age : null;
        for (int i = 0; i < candidates.Length; i++)
        {
            keep[i] = oldest is not { } limit || candidates[i].Timestamp >= limit;
        }

        long remainingRecords = policy.MaxRecords ?? long.MaxValue;
        long remainingBytes = policy.MaxTotalBytes ?? long.MaxValue;
        bool full = false;
        for (int i = candidates.Length - 1; i >= 0; i--)
        {
            if (!keep[i])
            {
                continue;
            }

            // Once one record does not fit, every older record is dropped too: retention keeps a
            // newest suffix, never a sparse selection.
            if (full || remainingRecords == 0 || candidates[i].Bytes > remainingBytes)
            {
                full = true;
                keep[i] = false;
                continue;
            }

            remainingRecords--;
            remainingBytes -= candidates[i].Bytes;
        }

        return keep;
    }

    /// <summary>The current time in Unix epoch seconds according to <paramref name="timeProvider"/>.</summary>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>Unix epoch seconds.</returns>
    public static double UnixNow(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return (timeProvider.GetUtcNow() - DateTimeOffset.UnixEpoch).TotalSeconds;
    }
}
