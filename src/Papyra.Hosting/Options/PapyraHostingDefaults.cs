namespace Papyra.Hosting;

/// <summary>Defaults of the hosting integration.</summary>
public static class PapyraHostingDefaults
{
    /// <summary>The configuration section bound to Papyra's options.</summary>
    public const string ConfigurationSection = "Papyra";

    /// <summary>The route prefix <c>MapPapyraEndpoints</c> uses when given none.</summary>
    public const string RoutePrefix = "/papyra";
}
