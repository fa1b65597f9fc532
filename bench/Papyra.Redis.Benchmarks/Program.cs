using System.Globalization;
using BenchmarkDotNet.Running;
using Papyra.Redis.Benchmarks;

// `compare [rounds]`: the interleaved ≥ 90 % check (exit code 1 when missed). Anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "compare")
{
    int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 40;
    return await InterleavedComparison.RunAsync(rounds);
}

BenchmarkSwitcher.FromAssembly(typeof(PipelinedAppendBenchmarks).Assembly).Run(args);
return 0;
