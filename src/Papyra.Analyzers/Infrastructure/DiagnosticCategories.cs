namespace Papyra.Analyzers;

/// <summary>The categories of Papyra diagnostics.</summary>
internal static class DiagnosticCategories
{
    /// <summary>Rules that keep code on Papyra's stable, supported surface.</summary>
    public const string Contracts = "Papyra.Contracts";

    /// <summary>Rules about how actors are declared and behave.</summary>
    public const string ActorDesign = "Papyra.ActorDesign";
}
