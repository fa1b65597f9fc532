using System.Globalization;
using System.Text;
using Papyra.Persistence.Serialization;

namespace Papyra.Runtime.Tests.Persistence.Serialization;

/// <summary>The timestamp fast path writes exactly what double.TryFormat writes, or declines.</summary>
public sealed class ShortestDoubleFormatterTests
{
    [Fact]
    public void Timestamps_as_the_runtime_makes_them_format_exactly_like_the_runtime_formatter()
    {
        // ActorSystem.Now(): (ticks since the epoch) / 10^7, over fifty years of ticks.
        var random = new Random(20261126);
        int fast = 0;
        for (int i = 0; i < 1_000_000; i++)
        {
            long ticks = random.NextInt64(1, 50L * 365 * 24 * 3600 * 10_000_000);
            fast += Compare(ticks / (double)TimeSpan.TicksPerSecond);
        }

        Assert.True(fast > 990_000, $"only {fast} of 1,000,000 timestamps took the fast path");
    }

    [Fact]
    public void Random_doubles_across_the_fast_range_format_exactly_like_the_runtime_formatter()
    {
        var random = new Random(7);
        int fast = 0;
        for (int i = 0; i < 1_000_000; i++)
        {
            // Uniform over the bit patterns of [1, 1e15): every exponent equally often.
            double value = BitConverter.UInt64BitsToDouble((ulong)random.NextInt64(
                (long)BitConverter.DoubleToUInt64Bits(1.0), (long)BitConverter.DoubleToUInt64Bits(1e15)));
            fast += Compare(value);
        }

        // Near 1e15 few fraction bits remain, so more values fall exactly on a tie and decline.
        Assert.True(fast > 950_000, $"only {fast} of 1,000,000 doubles took the fast path");
    }

    [Fact]
    public void Short_decimals_and_their_neighbours_format_exactly_like_the_runtime_formatter()
    {
        // Values a person writes (1.5, 1700000000.25, 0.1-steps), where the shortest text is short,
        // and the doubles right next to them, whose shortest text is long.
        var random = new Random(11);
        for (int i = 0; i < 200_000; i++)
        {
            int digits = random.Next(0, 8);
            double value = Math.Round(random.NextDouble() * Math.Pow(10, random.Next(0, 14)), digits);
            Compare(value);
            Compare(Math.BitIncrement(value));
            Compare(Math.BitDecrement(value));
        }
    }

    [Fact]
    public void Timestamps_with_a_binary_fraction_take_the_fast_path_and_format_like_the_runtime_formatter()
    {
        // x.5, x.25, x.125 ... (up to 1/64, below 2^31): one digit fewer is exactly halfway between two
        // decimals, both too far to parse back, so the shorter length fails outright instead of
        // needing a tie rule. (With more fraction bits both may parse back: the runtime decides.)
        var random = new Random(19);
        int fast = 0;
        for (int i = 0; i < 200_000; i++)
        {
            int bits = random.Next(1, 7);
            double value = random.NextInt64(1, 2_000_000_000) + (random.Next(1, 1 << bits) / (double)(1 << bits));
            fast += Compare(value);
        }

        Assert.True(fast == 200_000, $"only {fast} of 200,000 timestamps with a binary fraction took the fast path");
        Span<byte> buffer = stackalloc byte[32];
        Assert.True(ShortestDoubleFormatter.TryFormatFast(1_764_000_000.125, buffer, out int written));
        Assert.Equal("1764000000.125", Encoding.ASCII.GetString(buffer[..written]));
        Assert.True(ShortestDoubleFormatter.TryFormatFast(1_764_000_205.5, buffer, out written));
        Assert.Equal("1764000205.5", Encoding.ASCII.GetString(buffer[..written]));
    }

    [Fact]
    public async Task Timestamps_that_share_their_seconds_on_several_threads_format_exactly_like_the_runtime_formatter()
    {
        // Events written together share their whole seconds, whose digits are reused from the last
        // value written; threads interleave values of neighbouring seconds (and of other lengths),
        // so the reused digits must always be the value's own.
        long[] seconds = [1_764_000_205, 1_764_000_206, 99_999, 100_000, 7];
        await Task.WhenAll(Enumerable.Range(0, 4).Select(thread => Task.Factory.StartNew(
            () =>
            {
                var random = new Random(thread);
                for (int i = 0; i < 250_000; i++)
                {
                    long whole = seconds[(i / (1 + thread)) % seconds.Length];
                    Compare(whole + (random.Next(1, 10_000_000) / 1e7));
                }
            },
            TaskCreationOptions.LongRunning)));
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    [InlineData(1024.0)]
    [InlineData(0.5)]
    [InlineData(0.1)]
    [InlineData(1e15)]
    [InlineData(999_999_999_999_999.9)]
    [InlineData(123_456_789_012_345.6)]
    [InlineData(1_764_000_205.5)]
    [InlineData(1_764_000_205)]
    [InlineData(1.0000000000000002)]
    [InlineData(9.999999999999998)]
    [InlineData(-1_764_000_205.308)]
    [InlineData(5e-324)]
    [InlineData(1.7976931348623157e308)]
    public void Edge_values_format_exactly_like_the_runtime_formatter(double value) => Compare(value);

    [Fact]
    public void Powers_of_two_and_values_outside_the_range_take_the_runtime_formatter()
    {
        Span<byte> buffer = stackalloc byte[32];
        Assert.False(ShortestDoubleFormatter.TryFormatFast(1024.0, buffer, out _));
        Assert.False(ShortestDoubleFormatter.TryFormatFast(0.75, buffer, out _));
        Assert.False(ShortestDoubleFormatter.TryFormatFast(1e15, buffer, out _));
        Assert.False(ShortestDoubleFormatter.TryFormatFast(-3.5, buffer, out _));
        double timestamp = 1_764_000_205.3084925;
        Assert.True(ShortestDoubleFormatter.TryFormatFast(timestamp, buffer, out int written));
        Assert.Equal(timestamp.ToString(CultureInfo.InvariantCulture), Encoding.ASCII.GetString(buffer[..written]));
    }

    // Returns 1 when the fast path took the value.
    private static int Compare(double value)
    {
        Span<byte> expected = stackalloc byte[32];
        Span<byte> actual = stackalloc byte[32];
        Assert.True(value.TryFormat(expected, out int expectedLength, default, CultureInfo.InvariantCulture));
        int actualLength = ShortestDoubleFormatter.Format(value, actual);
        if (!actual[..actualLength].SequenceEqual(expected[..expectedLength]))
        {
            Assert.Fail($"{value:R} (bits {BitConverter.DoubleToUInt64Bits(value):X16}): expected {Encoding.ASCII.GetString(expected[..expectedLength])}, wrote {Encoding.ASCII.GetString(actual[..actualLength])}");
        }

        return ShortestDoubleFormatter.TryFormatFast(value, actual, out _) ? 1 : 0;
    }
}
