using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Papyra.Analyzers.Tests;

public sealed partial class RegistryTests
{
    private static readonly Assembly AnalyzerAssembly = typeof(PapyraDiagnosticAnalyzer).Assembly;

    public static TheoryData<string> Ids() => [.. DiagnosticDescriptors.All.Select(d => d.Id)];

    [Fact]
    public void Every_id_in_the_registry_has_exactly_one_descriptor()
    {
        var registryIds = typeof(DiagnosticIds).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (string)f.GetRawConstantValue()!)
            .Order(StringComparer.Ordinal)
            .ToArray();
        var descriptorIds = DiagnosticDescriptors.All.Select(d => d.Id).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(registryIds, descriptorIds);
        Assert.All(registryIds, id => Assert.Matches(IdPattern(), id));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Every_descriptor_has_a_help_link_to_its_docs_page_and_the_page_exists(string id)
    {
        var descriptor = DiagnosticDescriptors.All.Single(d => d.Id == id);

        Assert.Equal(DiagnosticDescriptors.HelpLink(id), descriptor.HelpLinkUri);
        if (DiagnosticDescriptors.HelpLinkBase.Length > 0)
        {
            Assert.Equal(DiagnosticDescriptors.HelpLinkBase + id + ".md", descriptor.HelpLinkUri);
        }

        Assert.False(string.IsNullOrWhiteSpace(descriptor.Title.ToString()));
        Assert.False(string.IsNullOrWhiteSpace(descriptor.Description.ToString()));
        Assert.True(descriptor.IsEnabledByDefault);
        Assert.Equal(id.StartsWith("PAP0", StringComparison.Ordinal) ? "Papyra.Contracts" : "Papyra.ActorDesign", descriptor.Category);

        var page = Path.Combine(TestReferences.RepositoryRoot, "docs", "analyzers", id + ".md");
        Assert.True(File.Exists(page), $"{page} is missing");
        var text = File.ReadAllText(page);
        Assert.StartsWith($"# {id}: {descriptor.Title}", text, StringComparison.Ordinal);
        Assert.Contains("## Bad", text, StringComparison.Ordinal);
        Assert.Contains("## Good", text, StringComparison.Ordinal);
        Assert.Contains($"| {descriptor.DefaultSeverity} |", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_link_base_is_the_docs_address_the_build_configured()
    {
        var configured = typeof(RegistryTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == DiagnosticDescriptors.HelpLinkBaseKey).Value;

        Assert.Equal(DiagnosticDescriptors.NormalizeHelpLinkBase(configured), DiagnosticDescriptors.HelpLinkBase);
    }

    [Theory]
    [InlineData("https://github.com/owner/papyra/blob/v0.1.0/docs/analyzers/", "https://github.com/owner/papyra/blob/v0.1.0/docs/analyzers/")]
    [InlineData("https://docs.example.org/analyzers", "https://docs.example.org/analyzers/")]
    [InlineData("", "")]
    [InlineData("docs/analyzers/", "")]
    [InlineData("ftp://example.org/analyzers/", "")]
    public void A_configured_docs_address_is_used_only_when_it_is_an_absolute_web_address(string configured, string expected)
    {
        Assert.Equal(expected, DiagnosticDescriptors.NormalizeHelpLinkBase(configured));
    }

    [Fact]
    public async Task The_docs_address_follows_RepositoryUrl_and_the_version_tag_unless_set_explicitly()
    {
        var project = Path.Combine(TestReferences.RepositoryRoot, "src", "Papyra.Analyzers", "Papyra.Analyzers.csproj");

        var derived = await GetPropertyAsync(project, "-p:RepositoryUrl=https://github.com/owner/papyra/");
        var explicitBase = await GetPropertyAsync(project, "-p:RepositoryUrl=https://github.com/owner/papyra", "-p:PapyraDocsBaseUrl=https://docs.example.org/rules/");
        var unset = await GetPropertyAsync(project);

        Assert.Equal("https://github.com/owner/papyra/blob/v0.1.0/docs/analyzers/", derived);
        Assert.Equal("https://docs.example.org/rules/", explicitBase);
        Assert.Equal(string.Empty, unset);
    }

    private static async Task<string> GetPropertyAsync(string project, params string[] properties)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "msbuild", project, "-getProperty:PapyraDocsBaseUrl", "-nologo" }.Concat(properties))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        // An ambient RepositoryUrl (a CI variable) must not decide the outcome.
        start.Environment.Remove("RepositoryUrl");
        start.Environment.Remove("PapyraDocsBaseUrl");
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, "dotnet msbuild -getProperty failed:\n" + output + error);
        return output.Trim();
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Every_rule_is_tracked_in_the_unshipped_release_file(string id)
    {
        var descriptor = DiagnosticDescriptors.All.Single(d => d.Id == id);
        var unshipped = File.ReadAllText(Path.Combine(TestReferences.RepositoryRoot, "src", "Papyra.Analyzers", "AnalyzerReleases.Unshipped.md"));

        Assert.Contains($"{id} | {descriptor.Category} | {descriptor.DefaultSeverity} |", unshipped, StringComparison.Ordinal);
    }

    [Fact]
    public void Contract_rules_are_errors()
    {
        Assert.All(DiagnosticDescriptors.All.Where(d => d.Id.StartsWith("PAP0", StringComparison.Ordinal)), d => Assert.Equal(DiagnosticSeverity.Error, d.DefaultSeverity));
    }

    [Fact]
    public void Every_analyzer_is_sealed_derives_from_the_base_and_every_descriptor_is_reported_by_one()
    {
        var analyzers = AnalyzerAssembly.GetTypes()
            .Where(t => typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && !t.IsAbstract)
            .ToArray();

        Assert.All(analyzers, t =>
        {
            Assert.True(t.IsSealed, $"{t.Name} is not sealed");
            Assert.True(t.IsSubclassOf(typeof(PapyraDiagnosticAnalyzer)), $"{t.Name} does not derive from PapyraDiagnosticAnalyzer");
            Assert.NotNull(t.GetCustomAttribute<DiagnosticAnalyzerAttribute>());
        });

        var supported = analyzers
            .SelectMany(t => ((DiagnosticAnalyzer)Activator.CreateInstance(t)!).SupportedDiagnostics)
            .Select(d => d.Id)
            .ToArray();
        Assert.Equal(DiagnosticDescriptors.All.Select(d => d.Id).Order(StringComparer.Ordinal), supported.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_code_fix_is_sealed_and_fixes_a_registered_rule()
    {
        var fixes = typeof(CodeFixes.MakeActorPartialCodeFix).Assembly.GetTypes()
            .Where(t => typeof(CodeFixProvider).IsAssignableFrom(t) && !t.IsAbstract)
            .ToArray();

        Assert.Equal(4, fixes.Length);
        Assert.All(fixes, t =>
        {
            Assert.True(t.IsSealed);
            var fix = (CodeFixProvider)Activator.CreateInstance(t)!;
            Assert.All(fix.FixableDiagnosticIds, id => Assert.Contains(DiagnosticDescriptors.All, d => d.Id == id));
        });
    }

    [GeneratedRegex("^PAP[01][0-9]{3}$")]
    private static partial Regex IdPattern();
}
