using System.Globalization;
using System.Numerics;

namespace Papyra.Persistence.Serialization;

/// <summary>
/// Writes a double as <see cref="double.TryFormat(Span{byte}, out int, ReadOnlySpan{char}, IFormatProvider?)"/>
/// does with the default format (the shortest text that parses back to the same double), with a
/// fast path for the values record timestamps are: Unix seconds with a fraction, between 1 and 1e15.
/// Formatting a timestamp was about 90 ns, a third of appending a record.
/// </summary>
/// <remarks>
/// The fast path is exact integer arithmetic, not an approximation. A double <c>m·2^-s</c> is the
/// parse of every decimal strictly inside <c>((2m-1)/2^(s+1), (2m+1)/2^(s+1))</c>. A decimal with
/// <c>k</c> fractional digits, <c>c/10^k</c>, lies there when <c>(2m-1)·10^k &lt; c·2^(s+1) &lt; (2m+1)·10^k</c>,
/// checked in 128-bit integers. The fewest fractional digits give the fewest significant digits
/// (the integer part is fixed), and among decimals with those digits the nearest one to the value
/// is chosen, which is what the runtime's shortest formatting prints. If one with <c>k</c> digits is
/// inside, one with <c>k+1</c> is too, so the search starts at the <c>k</c> that is certain to fit
/// and steps down until none does. Whatever the fast path cannot decide without a rounding rule (a
/// decimal exactly on the interval's edge or exactly halfway between two candidates that both parse back, a power of
/// two whose interval is lopsided, values outside [1, 1e15) that print in exponent notation or
/// have no fraction bits) goes to the runtime's formatter. Tests compare both over millions of values.
/// </remarks>
internal static class ShortestDoubleFormatter
{
    // Every double below this prints without an exponent; 2^50 is above it, so at least 3 fraction bits exist.
    private const double FastPathLimit = 1e15;

    // The most bytes the fast path writes: the digits of c (below 2^57, so at most 18; c >= 10^k
    // as the value is at least 1, so every fraction digit is one of them) and the point.
    private const int MaxFastLength = 19;

    // 10^0 .. 10^17, as constant data (no static constructor: the methods need no initialisation check).
    private static ReadOnlySpan<ulong> PowersOfTen =>
    [
        1UL, 10UL, 100UL, 1_000UL, 10_000UL, 100_000UL, 1_000_000UL, 10_000_000UL, 100_000_000UL, 1_000_000_000UL,
        10_000_000_000UL, 100_000_000_000UL, 1_000_000_000_000UL, 10_000_000_000_000UL, 100_000_000_000_000UL,
        1_000_000_000_000_000UL, 10_000_000_000_000_000UL, 100_000_000_000_000_000UL,
    ];

    // The integer part written last and its digits (shared by every thread, replaced whole).
    private static IntegerText? s_lastInteger;

    /// <summary>Writes <paramref name="value"/>'s shortest round-trip text; returns the number of bytes written.</summary>
    /// <param name="value">A finite double.</param>
    /// <param name="destination">At least 24 bytes (the longest round-trip text of a double).</param>
    /// <returns>The number of bytes written.</returns>
    public static int Format(double value, Span<byte> destination)
    {
        if (TryFormatFast(value, destination, out int written))
        {
            return written;
        }

        value.TryFormat(destination, out written, default, CultureInfo.InvariantCulture);
        return written;
    }

    /// <summary>The fast path alone: <see langword="false"/> (nothing written) when the value must take the runtime's formatter.</summary>
    internal static bool TryFormatFast(double value, Span<byte> destination, out int written)
    {
        written = 0;
        if (!(value >= 1.0 && value < FastPathLimit) || destination.Length < MaxFastLength)
        {
            return false;
        }

        ulong bits = BitConverter.DoubleToUInt64Bits(value);
        ulong fraction = bits & ((1UL << 52) - 1);
        if (fraction == 0)
        {
            // A power of two: the gap below is half the gap above.
            return false;
        }

        ulong m = fraction | (1UL << 52);
        int s = 1075 - (int)(bits >> 52); // value = m / 2^s, s in [3, 52] for [1, 1e15)

        // 10^k > 2^s makes the spacing of k-digit decimals smaller than the interval (width 2^-s).
        int k = Math.Min(CeilLog10OfPowerOfTwo(s), PowersOfTen.Length - 1);
        if (Inside(m, s, k, out ulong best) != Fit.Inside)
        {
            return false;
        }

        int bestK = k;
        while (k > 0)
        {
            k--;
            Fit fit = Inside(m, s, k, out ulong candidate);
            if (fit == Fit.Undecided)
            {
                return false;
            }

            if (fit == Fit.Outside)
            {
                break;
            }

            best = candidate;
            bestK = k;
        }

        written = Write(best, bestK, (ulong)value, destination);
        return true;
    }

    private enum Fit
    {
        Outside,
        Inside,
        Undecided,
    }

    // The nearest decimal with k fractional digits to m/2^s, as c (the decimal is c/10^k), and
    // whether it parses back to m/2^s. value·10^k = m·10^k / 2^s: the 128-bit product's bits below s
    // are the remainder r, and the nearest decimal is r or 2^s - r (in units of 2^-s·10^-k) away; it
    // parses back when twice that distance is below 10^k (the interval's width in the same units).
    private static Fit Inside(ulong m, int s, int k, out ulong c)
    {
        ulong power = PowersOfTen[k];
        ulong high = Math.BigMul(m, power, out ulong low);
        ulong one = 1UL << s;
        ulong remainder = low & (one - 1);
        ulong half = one >> 1;
        if (remainder == half)
        {
            // Exactly halfway between two candidates, each 10^-k/2 away. When the spacing 10^-k is
            // wider than the interval (10^k < 2^s; never equal) neither parses back (1764000000.125
            // at k = 2); otherwise which one prints depends on a tie rule.
            c = 0;
            return power < one ? Fit.Outside : Fit.Undecided;
        }

        // s is in [3, 52] and the quotient below 2^57, so it is these two shifted halves.
        c = (high << (64 - s)) | (low >> s);
        ulong distance = remainder;
        if (remainder > half)
        {
            c++;
            distance = one - remainder;
        }

        ulong twice = distance << 1;
        if (twice == power)
        {
            // On the interval's edge: whether it parses back depends on round-half-even.
            return Fit.Undecided;
        }

        return twice < power ? Fit.Inside : Fit.Outside;
    }

    private static int Write(ulong c, int k, ulong truncated, Span<byte> destination)
    {
        // c/10^k rounds value to k digits: its integer part is value's (no division), or one more
        // when the rounding carried into it (c >= truncated·10^k, as value·10^k is).
        ulong power = PowersOfTen[k];
        ulong integer = truncated;
        ulong fractionDigits = c - (integer * power);
        if (fractionDigits >= power)
        {
            integer++;
            fractionDigits -= power;
        }

        // integer >= 1 (the value is); at most 15 digits, the fraction at most 17: within MaxFastLength in all.
        // Timestamps written together share their whole seconds: those digits are copied.
        int integerLength;
        IntegerText? last = s_lastInteger;
        if (last is not null && last.Value == integer)
        {
            integerLength = last.Length;
            last.Digits.CopyTo(destination);
        }
        else
        {
            integerLength = DigitCount(integer);
            WriteDigits(integer, destination[..integerLength]);
            s_lastInteger = new IntegerText(integer, destination[..integerLength].ToArray());
        }
        if (k == 0)
        {
            return integerLength;
        }

        destination[integerLength] = (byte)'.';
        WriteDigits(fractionDigits, destination.Slice(integerLength + 1, k));
        return integerLength + 1 + k;
    }

    // The number of decimal digits of value >= 1.
    private static int DigitCount(ulong value)
    {
        int estimate = ((BitOperations.Log2(value) + 1) * 1233) >> 12; // floor(log10(2^(log2 + 1)))
        return estimate + (value >= PowersOfTen[estimate] ? 1 : 0);
    }

    // Writes value's last destination.Length digits (zero-padded on the left), two at a time.
    private static void WriteDigits(ulong value, Span<byte> destination)
    {
        ReadOnlySpan<byte> pairs = DigitPairs;
        int at = destination.Length;
        while (at >= 2)
        {
            ulong next = value / 100;
            int pair = 2 * (int)(value - (next * 100));
            value = next;
            destination[--at] = pairs[pair + 1];
            destination[--at] = pairs[pair];
        }

        if (at == 1)
        {
            destination[0] = (byte)('0' + (int)(value % 10));
        }
    }

    private static ReadOnlySpan<byte> DigitPairs => "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"u8;

    // ceil(log10(2^s)) for s ≥ 1 (2^s is never a power of ten, so this is the smallest k with 10^k > 2^s).
    private static int CeilLog10OfPowerOfTwo(int s) => (int)Math.Ceiling(s * 0.30102999566398120);

    private sealed class IntegerText(ulong value, byte[] digits)
    {
        public ulong Value { get; } = value;

        public byte[] Digits { get; } = digits;

        public int Length => Digits.Length;
    }
}
