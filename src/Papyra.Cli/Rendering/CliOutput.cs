using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Papyra.Cli.Commands;
using Papyra.Persistence.Configuration;
using Papyra.Reports;
using Spectre.Console;

namespace Papyra.Cli.Rendering;

/// <summary>
/// Where a command's result goes: JSON or tables on stdout, warnings on stderr, and a progress
/// display only when both streams are a terminal and JSON was not asked for.
/// </summary>
internal sealed class CliOutput
{
    // Redirected output is read by scripts and logs: wide enough that tables of paths do not wrap.
    private const int RedirectedWidth = 200;

    /// <summary>How every JSON document of the CLI is written: indented, escaped like every Papyra report.</summary>
    public static readonly JsonWriterOptions JsonOptions = ReportJson.Indented;

    /// <summary>How a followed record is written: one compact JSON object per line (NDJSON).</summary>
    public static readonly JsonWriterOptions NdjsonOptions = ReportJson.Compact;

    private readonly TextWriter _error;

    private CliOutput(bool json, bool interactive, IAnsiConsole console, TextWriter error)
    {
        Json = json;
        Interactive = interactive;
        Console = console;
        _error = error;
    }

    /// <summary>Whether the result is printed as JSON.</summary>
    public bool Json { get; }

    /// <summary>Whether a person is watching a terminal (progress may be shown).</summary>
    public bool Interactive { get; }

    /// <summary>The console for human-readable output (stdout).</summary>
    public IAnsiConsole Console { get; }

    public static CliOutput For(StoreSettings settings) => For(settings.Json);

    /// <summary>The output of a command that names no store (<c>backup verify</c>).</summary>
    public static CliOutput For(bool json)
    {
        bool redirected = System.Console.IsOutputRedirected;
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(System.Console.Out),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
        });
        if (redirected)
        {
            console.Profile.Width = RedirectedWidth;
        }

        bool interactive = !json && !redirected && !System.Console.IsErrorRedirected;
        return new CliOutput(json, interactive, console, System.Console.Error);
    }

    /// <summary>
    /// Standard output as a stream. When it is redirected (a file or a pipe, as for every listing a
    /// tool reads) on Unix, the descriptor is written directly (<see cref="StandardOutputStream"/>).
    /// </summary>
    /// <returns>The stream; dispose it (the descriptor stays open).</returns>
    public static Stream OpenStandardOutput()
        => !OperatingSystem.IsWindows() && System.Console.IsOutputRedirected
            ? new StandardOutputStream()
            : System.Console.OpenStandardOutput();

    /// <summary>Writes one JSON document to stdout, followed by a newline.</summary>
    public void WriteJson(Action<Utf8JsonWriter> write)
    {
        using Stream stdout = OpenStandardOutput();
        using (var writer = new Utf8JsonWriter(stdout, JsonOptions))
        {
            write(writer);
        }

        stdout.WriteByte((byte)'\n');
        stdout.Flush();
    }

    /// <summary>Writes one report (a type of the shared report context) to stdout, followed by a newline.</summary>
    public void WriteJson<T>(T report, JsonTypeInfo<T> type) => WriteJson(w => ReportJson.Write(w, report, type));

    /// <summary>Writes a warning sentence to stderr (secrets redacted).</summary>
    public void Warn(string message) => _error.WriteLine($"papyra: warning: {SecretRedaction.Redact(message)}");

    /// <summary>
    /// Runs <paramref name="work"/>, showing an indeterminate progress bar named
    /// <paramref name="description"/> while it runs when the output is a terminal.
    /// </summary>
    public async Task<T> WithProgressAsync<T>(string description, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        if (!Interactive)
        {
            return await work(cancellationToken).ConfigureAwait(false);
        }

        T result = default!;
        await Console.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                ProgressTask task = context.AddTask(Markup.Escape(description)).IsIndeterminate();
                result = await work(cancellationToken).ConfigureAwait(false);
                task.Value = task.MaxValue;
                task.StopTask();
            })
            .ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Runs <paramref name="work"/>, showing a progress bar of <paramref name="totalBytes"/> (with the
    /// transfer speed and time left) when the output is a terminal; <paramref name="work"/> reports the
    /// bytes it has done, from any thread.
    /// </summary>
    public async Task<T> WithByteProgressAsync<T>(string description, long totalBytes, Func<Action<long>, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        if (!Interactive)
        {
            return await work(static _ => { }, cancellationToken).ConfigureAwait(false);
        }

        T result = default!;
        await Console.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                ProgressTask task = context.AddTask(Markup.Escape(description), maxValue: Math.Max(1, totalBytes));
                result = await work(done => task.Increment(done), cancellationToken).ConfigureAwait(false);
                task.Value = task.MaxValue;
                task.StopTask();
            })
            .ConfigureAwait(false);
        return result;
    }
}
