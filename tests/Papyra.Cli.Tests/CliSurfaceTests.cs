using Papyra.Cli.Surface;
using Papyra.TestSupport;

namespace Papyra.Cli.Tests;

public sealed class CliSurfaceTests
{
    [Fact]
    public void Cli_surface_matches_the_approved_snapshot()
    {
        Approvals.Verify("cli.txt", CliSurface.Render());
    }

    [Fact]
    public void Every_exit_code_of_the_contract_is_in_the_surface_once()
    {
        int[] contract = [.. typeof(PapyraExitCodes).GetFields().Select(f => (int)f.GetRawConstantValue()!)];

        Assert.Equal(contract.Order(), ExitCodeTable.Entries.Select(e => e.Code).Order());
    }

    [Fact]
    public void Every_command_of_spec_section_7_is_in_the_tree()
    {
        string[] expected =
        [
            "doctor run", "persistence scan", "persistence recover", "persistence compact", "persistence inspect",
            "persistence startup-check", "persistence migrate-keys", "inspect events", "inspect audits", "inspect dead-letters", "inspect summary",
            "metrics persistence", "metrics reset",
            "backup create", "backup verify", "backup restore", "export", "persistence audit", "dashboard",
        ];

        string[] actual = [.. CommandTree.Groups.SelectMany(g => g.Commands.Select(c => $"{g.Name} {c.Name}")), .. CommandTree.TopLevel.Select(c => c.Name)];

        Assert.Equal(expected.Order(), actual.Order());
    }
}
