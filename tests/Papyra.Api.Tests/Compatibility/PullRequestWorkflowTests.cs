using System.Text.RegularExpressions;
using Papyra.TestSupport;
using YamlDotNet.RepresentationModel;

namespace Papyra.Api.Tests.Compatibility;

/// <summary>
/// The pull-request workflow (.github/workflows/api.yml) cannot run here, so what can be checked is: it parses, it runs on
/// pull requests, it runs the approval tests and package validation, it attaches the received files when they fail, and
/// everything it names (scripts, test projects, test classes) exists.
/// </summary>
public sealed partial class PullRequestWorkflowTests
{
    private static readonly string WorkflowPath = Path.Combine(Approvals.RepositoryRoot, ".github", "workflows", "api.yml");

    [Fact]
    public void Workflow_runs_on_pull_requests_and_runs_approvals_and_package_validation()
    {
        YamlMappingNode workflow = Load();

        Assert.True(Child(workflow, "on") is YamlMappingNode triggers && triggers.Children.ContainsKey(new YamlScalarNode("pull_request")), "the workflow must run on pull_request");
        YamlSequenceNode steps = Assert.IsType<YamlSequenceNode>(Child(Child(Child(workflow, "jobs"), "api"), "steps"));
        string[] runs = [.. steps.Children.OfType<YamlMappingNode>().Select(s => Scalar(s, "run")).Where(r => r is not null)!];

        Assert.Contains(runs, r => r.Contains("api/diff.sh", StringComparison.Ordinal));
        // Papyra.Api.Tests holds the public API approvals and the package validation tests.
        Assert.Contains(runs, r => Regex.IsMatch(r, @"dotnet test tests/Papyra\.Api\.Tests\b") && !r.Contains("--filter", StringComparison.Ordinal));
    }

    [Fact]
    public void Received_files_are_uploaded_when_a_step_fails()
    {
        YamlSequenceNode steps = (YamlSequenceNode)Child(Child(Child(Load(), "jobs"), "api"), "steps");

        YamlMappingNode upload = steps.Children.OfType<YamlMappingNode>().Single(s => Scalar(s, "uses")?.StartsWith("actions/upload-artifact@", StringComparison.Ordinal) == true);

        Assert.Equal("failure()", Scalar(upload, "if"));
        Assert.Contains("api/**/*.received.*", Scalar((YamlMappingNode)Child(upload, "with"), "path"), StringComparison.Ordinal);
    }

    [Fact]
    public void Everything_the_workflow_names_exists()
    {
        string text = File.ReadAllText(WorkflowPath);

        foreach (Match project in TestProject().Matches(text))
        {
            Assert.True(Directory.Exists(Path.Combine(Approvals.RepositoryRoot, project.Value)), $"{project.Value} does not exist");
        }

        // Every test class named in a filter exists, so a rename cannot silently turn a step into "no test matches".
        string[] sources = [.. Directory.GetFiles(Path.Combine(Approvals.RepositoryRoot, "tests"), "*.cs", SearchOption.AllDirectories).Select(File.ReadAllText)];
        foreach (Match filter in FilteredClass().Matches(text))
        {
            string name = filter.Groups["class"].Value;
            Assert.True(sources.Any(s => s.Contains("class " + name + "\n", StringComparison.Ordinal) || s.Contains("class " + name + " ", StringComparison.Ordinal) || s.Contains("class " + name + "\r", StringComparison.Ordinal)), $"no test class {name}");
        }

        Assert.True(File.Exists(Path.Combine(Approvals.RepositoryRoot, "api", "diff.sh")));
        Assert.True(File.Exists(Path.Combine(Approvals.RepositoryRoot, "global.json")));
    }

    private static YamlMappingNode Load()
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(WorkflowPath));
        stream.Load(reader);
        return Assert.IsType<YamlMappingNode>(Assert.Single(stream.Documents).RootNode);
    }

    private static YamlNode Child(YamlNode node, string key) =>
        ((YamlMappingNode)node).Children.TryGetValue(new YamlScalarNode(key), out YamlNode? child)
            ? child
            : throw new Xunit.Sdk.XunitException($"'{key}' is missing from the workflow");

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? value) ? (value as YamlScalarNode)?.Value : null;

    [GeneratedRegex(@"tests/Papyra\.[A-Za-z.]+\.Tests")]
    private static partial Regex TestProject();

    [GeneratedRegex(@"FullyQualifiedName~(?:[A-Za-z]+\.)*(?<class>[A-Za-z]+Tests)\b")]
    private static partial Regex FilteredClass();
}
