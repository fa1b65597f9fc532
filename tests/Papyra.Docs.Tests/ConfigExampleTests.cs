using System.Text.Json;
using System.Text.RegularExpressions;
using Papyra.Cli.Tests.Infrastructure;
using Papyra.Docs.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Papyra.Docs.Tests;

/// <summary>
/// The guide's JSON, YAML (Kubernetes manifests, Fluent Bit, CI), TOML (Vector), XML (project files) and systemd examples parse,
/// and every papyra command they name exists (its <c>--help</c> exits 0).
/// </summary>
public sealed partial class ConfigExampleTests
{
    public static TheoryData<string> ConfigBlocks => GuideDocument.Named("json", "yaml", "toml", "ini", "xml");

    [Theory]
    [MemberData(nameof(ConfigBlocks))]
    public async Task A_configuration_example_parses_and_names_only_commands_that_exist(string block)
    {
        CodeBlock code = GuideDocument.Find(block);
        switch (code.Language)
        {
            case "json":
                using (JsonDocument.Parse(code.Text))
                {
                }

                break;
            case "yaml":
                var yaml = new YamlStream();
                yaml.Load(new StringReader(code.Text));
                Assert.NotEmpty(yaml.Documents);
                break;
            case "toml":
                // Throws, naming the line, on any syntax or semantic error.
                Assert.NotNull(Tomlyn.Parsing.SyntaxParser.ParseStrict(code.Text, code.ToString(), validate: true));
                break;
            case "xml":
                Assert.NotNull(System.Xml.Linq.XDocument.Parse(code.Text).Root);
                break;
            case "ini":
                Assert.All(code.Text.Split('\n').Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#')), l => Assert.Matches(@"^\s*(\[[A-Za-z]+\]|[A-Za-z]+=.*)\s*$", l));
                break;
        }

        foreach (string[] command in PapyraCommands(code.Text))
        {
            CliResult help = await PapyraProcess.RunAsync(AppContext.BaseDirectory, [.. command, "--help"]);
            Assert.True(help.ExitCode == 0, $"{code}: `papyra {string.Join(' ', command)}` is not a papyra command.\n{help}");
        }
    }

    /// <summary>The command words after each <c>papyra</c> (for example <c>doctor run</c>), in shell form or as an exec array (<c>["papyra", "doctor", "run"]</c>).</summary>
    private static IEnumerable<string[]> PapyraCommands(string text)
        => PapyraCommand().Matches(text.Replace("\", \"", " ", StringComparison.Ordinal)).Select(m => m.Groups["words"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).DistinctBy(w => string.Join(' ', w));

    [GeneratedRegex(@"\bpapyra\s+(?<words>[a-z][a-z-]*(?:\s+[a-z][a-z-]*)?)")]
    private static partial Regex PapyraCommand();
}
