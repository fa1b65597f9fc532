using System.Globalization;
using System.Text;

namespace Papyra.Cli.Rendering;

/// <summary>
/// Makes untrusted text (store content, paths) safe to print in a table: control characters are
/// shown as <c>\uXXXX</c> so a hostile record cannot move the cursor or recolour the terminal.
/// </summary>
internal static class TerminalText
{
    public static string Safe(string text)
    {
        if (!HasControl(text))
        {
            return text;
        }

        var safe = new StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            if (IsControl(c))
            {
                safe.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                safe.Append(c);
            }
        }

        return safe.ToString();
    }

    private static bool IsControl(char c) => char.IsControl(c);

    /// <summary>Whether the text has a character <see cref="Safe"/> would escape.</summary>
    public static bool HasControl(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }
}
