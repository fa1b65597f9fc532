using System.Reflection;

namespace Papyra.Abstractions.Tests;

public sealed class ExitCodeTests
{
    [Fact]
    public void Exit_codes_match_the_cli_contract()
    {
        Assert.Equal(0, PapyraExitCodes.Success);
        Assert.Equal(1, PapyraExitCodes.AnomaliesFoundFailMode);
        Assert.Equal(2, PapyraExitCodes.AnomaliesFound);
        Assert.Equal(3, PapyraExitCodes.RecoveryIncomplete);
        Assert.Equal(4, PapyraExitCodes.StartupCheckFailed);
        Assert.Equal(5, PapyraExitCodes.StartupRecoveryFailed);
        Assert.Equal(64, PapyraExitCodes.UsageError);
        Assert.Equal(70, PapyraExitCodes.InternalError);
        Assert.Equal(74, PapyraExitCodes.IoError);
    }

    [Fact]
    public void Exit_codes_are_distinct()
    {
        int[] values = [.. typeof(PapyraExitCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (int)f.GetRawConstantValue()!)];

        Assert.Equal(9, values.Length);
        Assert.Equal(values.Length, values.Distinct().Count());
    }
}
