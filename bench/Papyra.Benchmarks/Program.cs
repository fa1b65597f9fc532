using BenchmarkDotNet.Running;

// dotnet run --project bench/Papyra.Benchmarks -c Release -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
