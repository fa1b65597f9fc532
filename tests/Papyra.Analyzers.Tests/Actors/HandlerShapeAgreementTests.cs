using System.Collections.Immutable;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Papyra.Generators.Actors;

namespace Papyra.Analyzers.Tests.Actors;

/// <summary>
/// The generator and the analyzers agree on what a handler is. A matrix of method shapes (return types,
/// parameter counts and kinds, modifiers, actor shapes) is compiled once; the actor generator and every Papyra
/// analyzer run on that same compilation, and every public instance method of an <c>[Actor]</c> class must be
/// either called by the generated dispatch or reported by an analyzer error: never neither (its messages would
/// become dead letters at run time with no warning), and never dispatched while reported as "not a handler".
/// </summary>
public sealed class HandlerShapeAgreementTests
{
    private static readonly string[] ReturnTypes =
    [
        "void", "int", "int?", "string?", "object", "Msg", "SMsg", "IEnumerable<int>",
        "Task", "Task<int>", "Task<string?>", "Task<Msg>", "Task<dynamic>", "ValueTask", "ValueTask<int>", "ValueTask<SMsg?>", "ValueTask<int>?",
        "dynamic", "Span<int>", "int*", "ref int", "ref readonly int",
    ];

    private static readonly string[] MessageParameters =
    [
        "Msg m", "Msg? m", "SMsg m", "SMsg? m", "int m", "int? m", "long? m", "Color m", "Color? m", "IMsg m", "string m", "string? m",
        "object m", "object? m", "dynamic m", "Msg[] m", "params Msg[] m", "int[] m", "(int A, string B) m", "(int, string)? m",
        "List<int> m", "List<string?> m", "KeyValuePair<int, Msg> m", "KeyValuePair<int, Msg>? m", "Action m", "Func<int> m", "Task m", "nint m",
        "Span<int> m", "ReadOnlySpan<char> m", "int* m", "delegate*<void> m", "TypedReference m",
        "CancellationToken m", "CancellationToken? m", "ref Msg m", "out Msg m", "in SMsg m", "ref readonly SMsg m", "Msg? m = null", "int m = 0",
        "System.Collections.IEnumerable m", "Exception m", "Delegate m", "ValueType m", "Enum m",
    ];

    private static readonly string[] Tails =
    [
        "", ", CancellationToken ct", ", CancellationToken ct = default", ", CancellationToken? ct", ", int extra", ", Msg other",
        ", ref CancellationToken ct", ", in CancellationToken ct", ", out CancellationToken ct", ", params CancellationToken[] ct", ", object ct",
        ", CancellationToken ct, int extra", ", int extra, CancellationToken ct", ", CancellationToken ct, CancellationToken again",
    ];

    private static readonly string[] Modifiers =
    [
        "public", "public virtual", "public new", "public unsafe", "public extern", "internal", "protected", "private", "protected internal", "private protected", "public static",
    ];

    private const string Prelude = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Papyra;

        namespace Matrix
        {
        public sealed record Msg(int Value);
        public readonly record struct SMsg(int Value);
        public interface IMsg { }
        public enum Color { Red, Green }
        public interface IHandles<T> { void Handle(T message); }
        internal sealed record InternalMsg;

        public class PlainActorBase : Actor
        {
            public virtual void Handle(Msg m) { }
        }

        [Actor]
        public partial class BaseActor : Actor
        {
            public virtual void Handle(Msg m) { }
        }
        }

        """;

    private const int CasesPerCompilation = 40;

    // The rules that say "the generator does not dispatch this" (unlike PAP1006, which reports a dispatched async void).
    private static readonly string[] NotDispatchedIds =
    [
        DiagnosticIds.ActorNotPartial, DiagnosticIds.ActorNotDerivingActor, DiagnosticIds.InvalidHandler, DiagnosticIds.DuplicateHandler, DiagnosticIds.ActorDeclaresReceive,
    ];

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.None);

    [Fact]
    public async Task Every_public_actor_method_is_dispatched_by_the_generator_or_reported_by_an_analyzer()
    {
        IReadOnlyList<(string Description, string Source)> cases = Cases();

        // Several compilations of a few dozen actors each: one compilation of the whole matrix binds its generated
        // proxies in time quadratic in the number of actors.
        var chunks = new List<Task<Outcome>>();
        for (int start = 0; start < cases.Count; start += CasesPerCompilation)
        {
            int first = start;
            chunks.Add(Task.Run(() => CheckAsync(cases, first, Math.Min(cases.Count, first + CasesPerCompilation))));
        }

        Outcome[] outcomes = await Task.WhenAll(chunks);
        int handlerLike = outcomes.Sum(o => o.HandlerLike);
        int notHandlers = outcomes.Sum(o => o.NotHandlers);
        int dispatched = outcomes.Sum(o => o.Dispatched);
        string[] problems = [.. outcomes.SelectMany(o => o.Problems)];

        // The matrix really covers both outcomes, so the assertion below cannot pass vacuously.
        Assert.True(handlerLike > 250, $"only {handlerLike} handler-like methods in the matrix");
        Assert.True(notHandlers >= 7, $"only {notHandlers} non-handler methods in the matrix");
        Assert.True(dispatched > 120, $"only {dispatched} methods dispatched");
        Assert.True(problems.Length == 0, $"{problems.Length} of {handlerLike} handler-like methods disagree:\n" + string.Join("\n", problems));
    }

    private sealed record Outcome(int HandlerLike, int NotHandlers, int Dispatched, IReadOnlyList<string> Problems);

    private static async Task<Outcome> CheckAsync(IReadOnlyList<(string Description, string Source)> cases, int start, int end)
    {
        var source = new StringBuilder(Prelude);
        for (int i = start; i < end; i++)
        {
            string n = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            source.Append("// ").Append(cases[i].Description).Append('\n');
            source.Append("namespace Matrix.C").Append(n).Append(" { ")
                .Append(cases[i].Source.Replace("Case ", "Case" + n + " ", StringComparison.Ordinal).Replace("Case<", "Case" + n + "<", StringComparison.Ordinal))
                .Append(" }\n");
        }

        CSharpCompilation input = CSharpCompilation.Create(
            "Papyra.HandlerShapeMatrix",
            [CSharpSyntaxTree.ParseText(source.ToString(), ParseOptions, path: "Matrix.cs")],
            [.. TestReferences.Framework, TestReferences.Abstractions, .. TestReferences.Runtime],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));

        GeneratorDriver driver = CSharpGeneratorDriver.Create([new ActorGenerator().AsSourceGenerator()], parseOptions: ParseOptions)
            .RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        GeneratorRunResult run = driver.GetRunResult().Results.Single();
        Assert.Null(run.Exception);
        Assert.Empty(generatorDiagnostics);

        // The matrix is legal C# and the generated code compiles: only the analyzers may object to it.
        Diagnostic[] compilerErrors = [.. output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)];
        Assert.True(compilerErrors.Length == 0, "The matrix or its generated code does not compile:\n" + string.Join("\n", compilerErrors.Take(30)));

        ImmutableArray<Diagnostic> analyzerDiagnostics = await output
            .WithAnalyzers([.. AllAnalyzers()])
            .GetAnalyzerDiagnosticsAsync(CancellationToken.None);

        HashSet<IMethodSymbol> dispatched = DispatchedMethods(output);
        var problems = new List<string>();
        int handlerLike = 0;
        int notHandlers = 0;
        foreach (INamedTypeSymbol actor in MarkedActors(output))
        {
            foreach (IMethodSymbol method in actor.GetMembers().OfType<IMethodSymbol>().Where(m => m.Name.StartsWith("Handle", StringComparison.Ordinal)))
            {
                string shape = Describe(method);
                bool isDispatched = IsDispatched(method, dispatched);
                Diagnostic[] errors = [.. ErrorsOn(method, analyzerDiagnostics)];
                if (!IsHandlerLike(method))
                {
                    notHandlers++;
                    if (isDispatched)
                    {
                        problems.Add("dispatched although not a public instance method of the actor: " + shape);
                    }

                    continue;
                }

                handlerLike++;
                if (!isDispatched && errors.Length == 0)
                {
                    problems.Add("neither dispatched nor reported (its messages become dead letters): " + shape);
                }
                else if (isDispatched && errors.FirstOrDefault(e => NotDispatchedIds.Contains(e.Id)) is { } contradiction)
                {
                    problems.Add("dispatched, yet reported as not dispatched: " + shape + " -> " + contradiction.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }

        return new Outcome(handlerLike, notHandlers, dispatched.Count, problems);
    }

    /// <summary>The matrix: every entry declares one or more actors named <c>Case</c> whose methods are named <c>Handle*</c>.</summary>
    private static IReadOnlyList<(string Description, string Source)> Cases()
    {
        var cases = new List<(string, string)>();

        // A body that compiles for every return type, by-ref returns and out parameters included.
        const string Body = "{ throw null!; }";
        string Unsafe(string signature) => signature.Contains('*', StringComparison.Ordinal) ? "unsafe " : string.Empty;
        void Single(string description, string method) =>
            cases.Add((description, $"[Actor] public sealed partial class Case : Actor {{ {method} }}"));

        // Return type x message kind, one parameter.
        foreach (string returnType in ReturnTypes)
        {
            Single($"returns {returnType}, no parameter", $"public {Unsafe(returnType)}{returnType} Handle() {Body}");
            foreach (string message in new[] { "Msg m", "int? m", "SMsg m" })
            {
                Single($"returns {returnType}, takes {message}", $"public {Unsafe(returnType + message)}{returnType} Handle({message}) {Body}");
            }
        }

        foreach (string message in MessageParameters)
        {
            foreach (string returnType in new[] { "void", "Task<int>" })
            {
                Single($"returns {returnType}, takes {message}", $"public {Unsafe(returnType + message)}{returnType} Handle({message}) {Body}");
            }
        }

        // Second and third parameters, for a few message kinds and return shapes.
        foreach (string message in new[] { "Msg m", "int? m", "CancellationToken m", "ref Msg m" })
        {
            foreach (string tail in Tails)
            {
                foreach (string returnType in new[] { "void", "ValueTask<int>" })
                {
                    Single($"returns {returnType}, takes {message}{tail}", $"public {returnType} Handle({message}{tail}) {Body}");
                }
            }
        }

        // Modifiers and accessibility.
        foreach (string modifier in Modifiers)
        {
            // Not sealed, so virtual and protected members are legal.
            string body = modifier.Contains("extern", StringComparison.Ordinal) ? ";" : " { }";
            cases.Add(($"{modifier} void Handle(Msg)", $"[Actor] public partial class Case : Actor {{ {modifier} void Handle(Msg m){body} }}"));
        }

        Single("async void", "public async void Handle(Msg m) { await Task.Yield(); }");
        Single("async Task", "public async Task Handle(Msg m) { await Task.Yield(); }");
        Single("async ValueTask<int>", "public async ValueTask<int> Handle(Msg m) { await Task.Yield(); return 1; }");
        Single("generic method over the message", "public void Handle<TMessage>(TMessage m) { }");
        Single("generic method with a concrete message", "public void Handle<TMessage>(Msg m) { }");
        Single("generic method returning its type parameter", "public TResult Handle<TResult>(Msg m) => default!;");
        Single("partial method", "public partial void Handle(Msg m); public partial void Handle(Msg m) { }");
        Single("expression-bodied", "public int Handle(Msg m) => m.Value;");
        cases.Add(("explicit interface implementation next to a handler", "[Actor] public sealed partial class Case : Actor, IDisposable { void IDisposable.Dispose() { } public void Handle(Msg m) { } }"));
        cases.Add(("implements IHandles<Msg> (interface implementations are not handlers, by rule)", "[Actor] public sealed partial class Case : Actor, IHandles<Msg> { public void Handle(Msg m) { } }"));
        cases.Add(("interface implementation next to a handler", "[Actor] public sealed partial class Case : Actor, IDisposable { public void Dispose() { } public void Handle(Msg m) { } }"));

        // Actor shapes.
        cases.Add(("abstract actor, abstract handler", "[Actor] public abstract partial class Case : Actor { public abstract void Handle(Msg m); }"));
        cases.Add(("generic actor, type parameter message", "[Actor] public sealed partial class Case<T> : Actor { public void Handle(T m) { } }"));
        cases.Add(("generic actor, class-constrained type parameter", "[Actor] public sealed partial class Case<T> : Actor where T : class { public void Handle(T m) { } public T? HandleReply(Msg m) => null; }"));
        cases.Add(("generic actor, nullable struct type parameter", "[Actor] public sealed partial class Case<T> : Actor where T : struct { public void Handle(T? m) { } }"));
        cases.Add(("generic actor, type parameter reply", "[Actor] public sealed partial class Case<T> : Actor { public Task<T> Handle(Msg m) => throw null!; }"));
        cases.Add(("internal actor, internal message", "[Actor] internal sealed partial class Case : Actor { public void Handle(InternalMsg m) { } }"));
        cases.Add(("nested in a partial class", "public partial class Outer { [Actor] public sealed partial class Case : Actor { public void Handle(Msg m) { } } }"));
        cases.Add(("nested in a class that is not partial", "public class Outer { [Actor] public sealed partial class Case : Actor { public void Handle(Msg m) { } } }"));
        cases.Add(("actor not partial", "[Actor] public sealed class Case : Actor { public void Handle(Msg m) { } }"));
        cases.Add(("actor not deriving Actor", "[Actor] public sealed partial class Case { public void Handle(Msg m) { } }"));
        cases.Add(("actor with a hand-written ReceiveAsync", "[Actor] public sealed partial class Case : Actor { protected override ValueTask<object?> ReceiveAsync(object message, CancellationToken cancellationToken) => Unhandled(message); public void Handle(Msg m) { } }"));
        cases.Add(("overrides the handler of a base [Actor]", "[Actor] public sealed partial class Case : BaseActor { public override void Handle(Msg m) { } }"));
        cases.Add(("overrides a public virtual of a base that is no [Actor]", "[Actor] public sealed partial class Case : PlainActorBase { public override void Handle(Msg m) { } }"));
        cases.Add(("derives an [Actor] and adds a handler", "[Actor] public sealed partial class Case : BaseActor { public void HandleSMsg(SMsg m) { } }"));

        // Two handlers in one actor whose message types the dispatch cannot tell apart.
        foreach ((string first, string second) in new[]
        {
            ("Msg m", "Msg m, CancellationToken ct"), ("int m", "int? m"), ("int? m", "int m"), ("string m", "string? m"), ("SMsg m", "SMsg? m"),
            ("(int A, int B) m", "(int X, int Y) m"), ("(int A, int B) m", "(int, int) m"), ("object m", "dynamic m"), ("dynamic m", "object m"), ("nint m", "IntPtr m"),
            ("List<string> m", "List<string?> m"), ("List<(int A, int B)> m", "List<(int X, int Y)> m"), ("Msg m", "IMsg m"), ("Msg m", "object m"),
        })
        {
            cases.Add(($"two handlers: ({first}) and ({second})", $"[Actor] public sealed partial class Case : Actor {{ public void HandleFirst({first}) {{ }} public void HandleSecond({second}) {{ }} }}"));
        }

        return cases;
    }

    private static IEnumerable<DiagnosticAnalyzer> AllAnalyzers() =>
        typeof(PapyraDiagnosticAnalyzer).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!);

    private static IEnumerable<INamedTypeSymbol> MarkedActors(Compilation compilation)
    {
        INamedTypeSymbol attribute = compilation.GetTypeByMetadataName("Papyra.ActorAttribute")!;
        var stack = new Stack<INamespaceOrTypeSymbol>([compilation.Assembly.GlobalNamespace]);
        while (stack.Count > 0)
        {
            foreach (INamespaceOrTypeSymbol member in stack.Pop().GetMembers().OfType<INamespaceOrTypeSymbol>())
            {
                stack.Push(member);
                if (member is INamedTypeSymbol type && type.Name.StartsWith("Case", StringComparison.Ordinal)
                    && type.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute)))
                {
                    yield return type;
                }
            }
        }
    }

    // Every method called from a generated ReceiveAsync.
    private static HashSet<IMethodSymbol> DispatchedMethods(Compilation output)
    {
        var called = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        foreach (SyntaxTree tree in output.SyntaxTrees.Where(t => t.FilePath.EndsWith(".Dispatch.g.cs", StringComparison.Ordinal)))
        {
            SemanticModel model = output.GetSemanticModel(tree);
            foreach (MethodDeclarationSyntax receive in tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Where(m => m.Identifier.Text == "ReceiveAsync"))
            {
                foreach (InvocationExpressionSyntax invocation in receive.DescendantNodes().OfType<InvocationExpressionSyntax>())
                {
                    if (model.GetSymbolInfo(invocation).Symbol is IMethodSymbol method)
                    {
                        called.Add(method.OriginalDefinition);
                    }
                }
            }
        }

        return called;
    }

    // Called by the actor's own dispatch, or (an override) reached through a base actor's dispatch of the method it overrides.
    private static bool IsDispatched(IMethodSymbol method, HashSet<IMethodSymbol> dispatched)
    {
        for (IMethodSymbol? current = method.PartialDefinitionPart ?? method; current is not null; current = current.OverriddenMethod)
        {
            if (dispatched.Contains(current.OriginalDefinition) || (current.PartialImplementationPart is { } implementation && dispatched.Contains(implementation)))
            {
                return true;
            }
        }

        return false;
    }

    // The test's own reading of SPEC §3, independent of the shared rules: a public instance method declared by the
    // actor is a handler; interface implementations are not (PAP1003's documented exception).
    private static bool IsHandlerLike(IMethodSymbol method) =>
        method.MethodKind == MethodKind.Ordinary
        && method.DeclaredAccessibility == Accessibility.Public
        && !method.IsStatic
        && !ImplementsInterfaceMember(method);

    private static bool ImplementsInterfaceMember(IMethodSymbol method) =>
        method.ContainingType.AllInterfaces.SelectMany(i => i.GetMembers(method.Name))
            .Any(member => SymbolEqualityComparer.Default.Equals(method.ContainingType.FindImplementationForInterfaceMember(member), method));

    // Analyzer errors on the method itself, or on the actor (or a type containing it) that make it no handler at all.
    private static IEnumerable<Diagnostic> ErrorsOn(IMethodSymbol method, ImmutableArray<Diagnostic> diagnostics)
    {
        var spans = method.DeclaringSyntaxReferences.Select(r => r.Span).ToList();
        for (INamedTypeSymbol? type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            spans.AddRange(type.Locations.Select(l => l.SourceSpan));
        }

        return diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && d.Id.StartsWith("PAP", StringComparison.Ordinal)
            && spans.Any(s => s.Contains(d.Location.SourceSpan)));
    }

    private static string Describe(IMethodSymbol method) =>
        method.ContainingType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + ": "
        + method.DeclaringSyntaxReferences[0].GetSyntax().ToString().Split('{', 2)[0].Split("=>", 2)[0].Trim();
}
