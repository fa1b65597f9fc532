using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Papyra.Generators.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Papyra.Generators.Benchmarks.DispatchBenchmarks).Assembly).Run(args);
