using System.Globalization;
using BenchmarkDotNet.Running;
using Papyra.Generators.Benchmarks;

// dotnet run -c Release --project bench/Papyra.Generators.Benchmarks -- --filter '*'      (BenchmarkDotNet)
// dotnet run -c Release --project bench/Papyra.Generators.Benchmarks -- interleaved [rounds]
if (args.Length > 0 && args[0] == "interleaved")
{
    InterleavedComparison.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 4000);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(DispatchBenchmarks).Assembly).Run(args);
