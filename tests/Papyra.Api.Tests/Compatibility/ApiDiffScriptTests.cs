using Papyra.TestSupport;

namespace Papyra.Api.Tests.Compatibility;

/// <summary>api/diff.sh, run in a throw-away git repository of its own (the script works on the repository it lives in).</summary>
public sealed class ApiDiffScriptTests : IDisposable
{
    private readonly DirectoryInfo _repository = Directory.CreateTempSubdirectory("papyra-apidiff-");

    public void Dispose() => _repository.Delete(recursive: true);

    [Fact]
    public async Task Prints_the_api_changes_of_a_branch_since_it_left_the_base_and_nothing_else()
    {
        await InitAsync();
        Write("api/Papyra.Runtime.txt", "namespace Papyra\n{\n    public sealed class ActorSystem\n    {\n        public void Now() { }\n    }\n}\n");
        Write("src/Code.cs", "class A { }\n");
        await CommitAsync("base");
        await GitAsync("branch", "base");

        Write("api/Papyra.Runtime.txt", "namespace Papyra\n{\n    public sealed class ActorSystem\n    {\n    }\n}\n");
        Write("api/Papyra.Runtime.received.txt", "unapproved\n");
        Write("src/Code.cs", "class B { }\n");
        await CommitAsync("head");

        (int exitCode, string output) = await DiffAsync("base", "HEAD");

        Assert.Equal(0, exitCode);
        Assert.Contains("api/Papyra.Runtime.txt", output, StringComparison.Ordinal);
        Assert.Contains("-        public void Now() { }", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Code.cs", output, StringComparison.Ordinal);
        Assert.DoesNotContain("received", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Says_unchanged_when_api_did_not_change_and_rejects_an_unknown_ref()
    {
        await InitAsync();
        Write("api/metrics.txt", "records_written\n");
        await CommitAsync("base");
        Write("src/Code.cs", "class A { }\n");
        await CommitAsync("code only");

        (int unchangedExit, string unchanged) = await DiffAsync("HEAD~1", "HEAD");
        (int unknownExit, string unknown) = await DiffAsync("no-such-branch");

        Assert.Equal(0, unchangedExit);
        Assert.Contains("api/ unchanged", unchanged, StringComparison.Ordinal);
        Assert.Equal(2, unknownExit);
        Assert.Contains("unknown git ref 'no-such-branch'", unknown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_head_ref_compares_the_working_tree()
    {
        await InitAsync();
        Write("api/cli.txt", "papyra scan\n");
        await CommitAsync("base");
        Write("api/cli.txt", "papyra scan\npapyra compact\n");

        (int exitCode, string output) = await DiffAsync("HEAD");

        Assert.Equal(0, exitCode);
        Assert.Contains("+papyra compact", output, StringComparison.Ordinal);
    }

    private async Task InitAsync()
    {
        await GitAsync("init", "-q", "-b", "main");
        Directory.CreateDirectory(Path.Combine(_repository.FullName, "api"));
        File.Copy(Path.Combine(Approvals.RepositoryRoot, "api", "diff.sh"), Path.Combine(_repository.FullName, "api", "diff.sh"));
    }

    private void Write(string path, string text)
    {
        string full = Path.Combine(_repository.FullName, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    private async Task CommitAsync(string message)
    {
        await GitAsync("add", "-A");
        await GitAsync("-c", "user.name=test", "-c", "user.email=test@example.org", "commit", "-q", "--no-gpg-sign", "-m", message);
    }

    private async Task GitAsync(params string[] arguments)
    {
        (int exitCode, string output) = await Dotnet.RunProcessAsync("git", _repository.FullName, arguments);
        Assert.True(exitCode == 0, "git " + string.Join(' ', arguments) + " failed:\n" + output);
    }

    private Task<(int ExitCode, string Output)> DiffAsync(params string[] refs) =>
        Dotnet.RunProcessAsync("bash", _repository.FullName, [Path.Combine(_repository.FullName, "api", "diff.sh"), .. refs]);
}
