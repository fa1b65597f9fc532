using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Papyra.Redis.Benchmarks.PipelinedAppendBenchmarks).Assembly).Run(args);
