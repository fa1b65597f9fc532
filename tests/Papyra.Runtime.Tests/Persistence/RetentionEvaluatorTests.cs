using Papyra.Persistence;
using Papyra.Persistence.Retention;

namespace Papyra.Runtime.Tests.Persistence;

public sealed class RetentionEvaluatorTests
{
    private static readonly RetentionCandidate[] Five =
    [
        new(100, 10), new(200, 10), new(300, 10), new(400, 10), new(500, 10),
    ];

    [Fact]
    public void Unlimited_policy_keeps_everything()
    {
        Assert.All(RetentionEvaluator.Evaluate(Five, RetentionPolicy.Unlimited, 1000), Assert.True);
    }

    [Fact]
    public void Max_records_keeps_the_most_recent()
    {
        bool[] keep = RetentionEvaluator.Evaluate(Five, new RetentionPolicy(maxRecords: 2), 1000);

        Assert.Equal([false, false, false, true, true], keep);
    }

    [Fact]
    public void Max_age_keeps_records_at_or_after_the_cutoff()
    {
        bool[] keep = RetentionEvaluator.Evaluate(Five, new RetentionPolicy(maxAgeSeconds: 200), 500);

        Assert.Equal([false, false, true, true, true], keep);
    }

    [Fact]
    public void Max_total_bytes_keeps_the_newest_records_that_fit()
    {
        bool[] keep = RetentionEvaluator.Evaluate(Five, new RetentionPolicy(maxTotalBytes: 25), 1000);

        Assert.Equal([false, false, false, true, true], keep);
    }

    [Fact]
    public void Max_total_bytes_stops_at_the_first_record_that_does_not_fit()
    {
        RetentionCandidate[] records = [new(1, 1), new(2, 50), new(3, 1)];

        bool[] keep = RetentionEvaluator.Evaluate(records, new RetentionPolicy(maxTotalBytes: 10), 1000);

        Assert.Equal([false, false, true], keep);
    }

    [Fact]
    public void Limits_apply_age_then_count_then_bytes()
    {
        bool[] keep = RetentionEvaluator.Evaluate(Five, new RetentionPolicy(maxRecords: 3, maxAgeSeconds: 150, maxTotalBytes: 15), 500);

        Assert.Equal([false, false, false, false, true], keep);
    }

    [Fact]
    public void Age_cutoff_ignores_out_of_order_records_individually()
    {
        RetentionCandidate[] records = [new(500, 1), new(100, 1), new(450, 1)];

        bool[] keep = RetentionEvaluator.Evaluate(records, new RetentionPolicy(maxAgeSeconds: 100), 500);

        Assert.Equal([true, false, true], keep);
    }
}
