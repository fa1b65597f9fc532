using System.Diagnostics;
using Papyra.Cli.Tests.Infrastructure;

namespace Papyra.Cli.Tests.EndToEnd;

/// <summary>Only regular files are stores: a FIFO hung the CLI in open, /dev/zero was read forever.</summary>
public sealed class SpecialFileTests
{
    // Process start of the CLI included; the refusal itself is immediate.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("persistence", "scan")]
    [InlineData("inspect", "summary")]
    [InlineData("persistence", "recover")]
    public async Task A_fifo_is_an_io_error_at_once(string group, string command)
    {
        using var dir = new StoreDirectory();
        using (Process mkfifo = Process.Start("mkfifo", dir.Store))
        {
            await mkfifo.WaitForExitAsync();
        }

        CliResult result = await PapyraProcess.RunAsync(dir.Root, group, command, "--path", dir.Store).WaitAsync(Bound);

        CliAssert.ExitCode(74, result);
        Assert.Contains("is a FIFO (named pipe), not a regular file", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_character_device_is_an_io_error_at_once()
    {
        using var dir = new StoreDirectory();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "scan", "--path", "/dev/zero").WaitAsync(Bound);

        CliAssert.ExitCode(74, result);
        Assert.Contains("'/dev/zero' is a character device, not a regular file", result.StandardError, StringComparison.Ordinal);
    }
}
