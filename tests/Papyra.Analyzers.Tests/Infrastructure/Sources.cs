namespace Papyra.Analyzers.Tests;

/// <summary>Source fragments the tests share.</summary>
internal static class Sources
{
    /// <summary>The usings every actor test starts with.</summary>
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Papyra;

        """;
}
