using System.Reflection;
using System.Security.Cryptography;

namespace Papyra.Hosting.Dashboard;

/// <summary>One file of the dashboard page, embedded in this assembly.</summary>
/// <param name="FileName">The file name under <c>{prefix}/dashboard/</c> (empty for the page itself).</param>
/// <param name="ContentType">The content type it is served with.</param>
/// <param name="Content">The bytes.</param>
/// <param name="ETag">A strong validator derived from the bytes.</param>
internal sealed record DashboardAsset(string FileName, string ContentType, byte[] Content, string ETag);

/// <summary>
/// The dashboard's page: one HTML file, one script and one style sheet, embedded as resources of
/// Papyra.Hosting (the only copy), served by <c>MapPapyraDashboard</c> and by <c>papyra dashboard</c>.
/// No library, no CDN, no font: charts are SVG drawn by the script.
/// </summary>
internal static class DashboardAssets
{
    public const string ResourcePrefix = "Papyra.Hosting.Dashboard.";

    public static DashboardAsset Page { get; } = Load("index.html", string.Empty, "text/html; charset=utf-8");

    public static DashboardAsset Script { get; } = Load("dashboard.js", "dashboard.js", "text/javascript; charset=utf-8");

    public static DashboardAsset StyleSheet { get; } = Load("dashboard.css", "dashboard.css", "text/css; charset=utf-8");

    public static IReadOnlyList<DashboardAsset> All { get; } = [Page, Script, StyleSheet];

    private static DashboardAsset Load(string resource, string fileName, string contentType)
    {
        using Stream stream = typeof(DashboardAssets).Assembly.GetManifestResourceStream(ResourcePrefix + resource)
            ?? throw new InvalidOperationException($"The dashboard asset {resource} is missing from {typeof(DashboardAssets).Assembly.GetName().Name}.");
        using MemoryStream copy = new();
        stream.CopyTo(copy);
        byte[] content = copy.ToArray();
        string etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 12)) + "\"";
        return new DashboardAsset(fileName, contentType, content, etag);
    }
}
