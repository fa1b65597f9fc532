using Papyra.Persistence;

namespace Papyra.Abstractions.Tests;

public sealed class RetentionPolicyTests
{
    [Fact]
    public void Null_limits_mean_unlimited()
    {
        var policy = new RetentionPolicy();

        Assert.True(policy.IsUnlimited);
        Assert.True(RetentionPolicy.Unlimited.IsUnlimited);
        Assert.Null(policy.MaxRecords);
    }

    [Fact]
    public void Positive_limits_are_kept()
    {
        var policy = new RetentionPolicy(maxRecords: 10, maxAgeSeconds: 0.5, maxTotalBytes: 1);

        Assert.False(policy.IsUnlimited);
        Assert.Equal(10, policy.MaxRecords);
        Assert.Equal(0.5, policy.MaxAgeSeconds);
        Assert.Equal(1, policy.MaxTotalBytes);
    }

    [Theory]
    [InlineData(0L, "Invalid retention max_records 0: it must be a positive number, or null for unlimited.")]
    [InlineData(-5L, "Invalid retention max_records -5: it must be a positive number, or null for unlimited.")]
    public void Zero_or_negative_max_records_is_rejected(long value, string message)
    {
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => new RetentionPolicy(maxRecords: value));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Equal("MaxRecords", error.ParamName);
    }

    [Theory]
    [InlineData(0.0, "max_age_seconds 0")]
    [InlineData(-1.5, "max_age_seconds -1.5")]
    [InlineData(double.NaN, "max_age_seconds NaN")]
    [InlineData(double.PositiveInfinity, "max_age_seconds Infinity")]
    public void Zero_negative_or_non_finite_max_age_is_rejected(double value, string named)
    {
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => new RetentionPolicy(maxAgeSeconds: value));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    public void Zero_or_negative_max_total_bytes_is_rejected(long value)
    {
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => new RetentionPolicy(maxTotalBytes: value));

        Assert.Contains($"max_total_bytes {value}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void With_expression_validates_too()
    {
        var policy = new RetentionPolicy(maxRecords: 3);

        Assert.Throws<ArgumentOutOfRangeException>(() => policy with { MaxRecords = 0 });
        Assert.Equal(4, (policy with { MaxRecords = 4 }).MaxRecords);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(1L, true)]
    [InlineData(0L, false)]
    [InlineData(-1L, false)]
    public void IsValidLimit_is_the_rule_the_constructor_applies(long? value, bool valid)
    {
        Assert.Equal(valid, RetentionPolicy.IsValidLimit(value));
        Assert.Equal(valid, Record.Exception(() => new RetentionPolicy(maxRecords: value, maxTotalBytes: value)) is null);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(0.001, true)]
    [InlineData(0.0, false)]
    [InlineData(-1.0, false)]
    [InlineData(double.NaN, false)]
    [InlineData(double.PositiveInfinity, false)]
    public void IsValidAge_is_the_rule_the_constructor_applies(double? value, bool valid)
    {
        Assert.Equal(valid, RetentionPolicy.IsValidAge(value));
        Assert.Equal(valid, Record.Exception(() => new RetentionPolicy(maxAgeSeconds: value)) is null);
    }
}
