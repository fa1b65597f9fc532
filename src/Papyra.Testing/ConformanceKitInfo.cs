namespace Papyra.Testing;

/// <summary>Facts about the backend conformance kit.</summary>
public static class ConformanceKitInfo
{
    /// <summary>The version of the contract the kit checks.</summary>
    public const int ContractVersion = 1;
}
