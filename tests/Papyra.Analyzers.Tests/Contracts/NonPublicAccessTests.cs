namespace Papyra.Analyzers.Tests.Contracts;

public sealed class NonPublicAccessTests
{
    [Fact]
    public Task Reports_NonPublic_reflection_on_Papyra_types() =>
        Verify<NonPublicAccessAnalyzer>.AnalyzerAsync("""
            using System;
            using System.Reflection;
            using Papyra;
            using Papyra.Persistence;

            public static class Snoop
            {
                public static object? Run(ActorRegistry registry)
                {
                    var field = {|PAP0002:typeof(ActorRegistry).GetField("_secret", BindingFlags.NonPublic | BindingFlags.Instance)|};
                    var method = {|PAP0002:registry.GetType().GetMethod("Poke", BindingFlags.Instance | BindingFlags.NonPublic)|};
                    var all = {|PAP0002:typeof(PersistenceMetricsSnapshot).GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)|};
                    var created = {|PAP0002:Activator.CreateInstance(typeof(ActorRegistry), true)|};
                    return field?.GetValue(registry) ?? method ?? (object)all ?? created;
                }
            }
            """);

    [Fact]
    public Task Reports_UnsafeAccessor_into_Papyra_types() =>
        Verify<NonPublicAccessAnalyzer>.AnalyzerAsync("""
            using System.Runtime.CompilerServices;
            using Papyra;

            public static class Snoop
            {
                [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_secret")]
                public static extern ref int {|PAP0002:Secret|}(ActorRegistry registry);

                [UnsafeAccessor(UnsafeAccessorKind.Constructor)]
                public static extern ActorRegistry {|PAP0002:Create|}();
            }
            """);

    [Fact]
    public Task Reports_IgnoresAccessChecksTo_a_Papyra_assembly() =>
        Verify<NonPublicAccessAnalyzer>.AnalyzerAsync("""
            [assembly: {|PAP0002:System.Runtime.CompilerServices.IgnoresAccessChecksTo("Papyra.Runtime")|}]
            [assembly: System.Runtime.CompilerServices.IgnoresAccessChecksTo("Someone.Else")]

            namespace System.Runtime.CompilerServices
            {
                [AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
                internal sealed class IgnoresAccessChecksToAttribute : Attribute
                {
                    public IgnoresAccessChecksToAttribute(string assemblyName) => AssemblyName = assemblyName;
                    public string AssemblyName { get; }
                }
            }
            """);

    [Fact]
    public Task Accepts_public_reflection_and_non_public_reflection_on_other_types() =>
        Verify<NonPublicAccessAnalyzer>.AnalyzerAsync("""
            using System;
            using System.Reflection;
            using System.Runtime.CompilerServices;
            using Papyra;

            public sealed class Mine { private int _value; public int Value => _value; }

            public static class Reflect
            {
                public static object? Run(ActorRegistry registry, Type unknown)
                {
                    var count = typeof(ActorRegistry).GetProperty("Count", BindingFlags.Public | BindingFlags.Instance);
                    var mine = typeof(Mine).GetField("_value", BindingFlags.NonPublic | BindingFlags.Instance);
                    var publicOnly = registry.GetType().GetMethods();
                    var created = Activator.CreateInstance(typeof(Mine), true);
                    return count ?? mine ?? (object)publicOnly ?? created;
                }

                [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_value")]
                public static extern ref int Value(Mine mine);
            }
            """);

    [Fact]
    public Task Papyra_assemblies_may_reflect_into_Papyra() =>
        Verify<NonPublicAccessAnalyzer>.AnalyzerAsync("""
            using System.Reflection;
            using Papyra;

            public static class Internals
            {
                public static object? Run() => typeof(ActorRegistry).GetField("_secret", BindingFlags.NonPublic | BindingFlags.Instance);
            }
            """, new TestProject { AssemblyName = "Papyra.Runtime.Tests" });
}
