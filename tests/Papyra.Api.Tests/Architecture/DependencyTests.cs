using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Papyra.TestSupport;

namespace Papyra.Api.Tests.Architecture;

/// <summary>
/// SPEC §1: dependencies point one way. Cli, Hosting and Persistence.Redis → Runtime → Abstractions; Abstractions
/// references nothing; inside Papyra.Runtime, persistence (namespaces Papyra.Persistence*, folder Persistence/) never
/// uses the actor runtime, so the CLI can scan, recover, compact and inspect a store without an actor system.
/// </summary>
public sealed partial class DependencyTests
{
    // Which Papyra assemblies each shipped library may reference (SPEC §1).
    public static TheoryData<string, string[]> AllowedPapyraReferences => new()
    {
        { "Papyra.Abstractions", [] },
        { "Papyra.Runtime", ["Papyra.Abstractions"] },
        { "Papyra.Persistence.Redis", ["Papyra.Abstractions", "Papyra.Runtime"] },
        { "Papyra.Hosting", ["Papyra.Abstractions", "Papyra.Runtime"] },
        { "Papyra.Testing", ["Papyra.Abstractions", "Papyra.Runtime"] },
    };

    [Theory]
    [MemberData(nameof(AllowedPapyraReferences))]
    public void Papyra_assemblies_reference_only_the_ones_below_them(string assembly, string[] allowed)
    {
        string[] references = [.. Assembly.Load(assembly).GetReferencedAssemblies().Select(r => r.Name!).Where(n => n.StartsWith("Papyra", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

        Assert.All(references, r => Assert.True(allowed.Contains(r), $"{assembly} references {r}, against SPEC §1's direction"));
    }

    [Fact]
    public void Abstractions_references_no_package_and_no_project()
    {
        string project = Path.Combine(Approvals.RepositoryRoot, "src", "Papyra.Abstractions", "Papyra.Abstractions.csproj");
        XElement[] references = [.. XDocument.Load(project).Descendants().Where(e => e.Name.LocalName is "PackageReference" or "ProjectReference" or "Reference")];

        Assert.True(references.Length == 0, "Papyra.Abstractions.csproj must reference nothing, found: " + string.Join(", ", references.Select(r => (string?)r.Attribute("Include"))));

        // The built assembly: nothing but the .NET shared framework (what every consumer has anyway).
        string framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        string[] outside = [.. typeof(ActorAddress).Assembly.GetReferencedAssemblies()
            .Select(r => r.Name!)
            .Where(name => !File.Exists(Path.Combine(framework, name + ".dll")))];
        Assert.True(outside.Length == 0, "Papyra.Abstractions references assemblies outside the shared framework: " + string.Join(", ", outside));
    }

    [Fact]
    public void Persistence_in_the_runtime_uses_no_type_of_the_actor_runtime()
    {
        using ModuleDefinition module = ModuleDefinition.ReadModule(typeof(ActorSystem).Assembly.Location);
        TypeDefinition[] persistence = [.. AllTypes(module.Types).Where(t => IsPersistence(Outermost(t)))];

        string[] violations = ActorRuntimeReachedFrom(persistence, module);

        Assert.True(persistence.Length > 50, $"only {persistence.Length} persistence types found: is the namespace still Papyra.Persistence?");
        Assert.True(violations.Length == 0, "Persistence depends on the actor runtime (SPEC §1):\n" + string.Join("\n", violations));
    }

    [Fact]
    public void Every_file_under_the_runtime_persistence_folder_is_in_a_persistence_namespace()
    {
        string folder = Path.Combine(Approvals.RepositoryRoot, "src", "Papyra.Runtime", "Persistence");
        string[] misplaced = [.. Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => FileNamespace().Match(File.ReadAllText(f)) is not { Success: true } m || !IsPersistenceNamespace(m.Groups["ns"].Value))
            .Select(f => Path.GetRelativePath(Approvals.RepositoryRoot, f))];

        Assert.True(misplaced.Length == 0, "files under Persistence/ outside Papyra.Persistence*: " + string.Join(", ", misplaced));
    }

    [Fact]
    public void The_check_sees_persistence_reaching_the_actor_runtime_directly_or_through_shared_code()
    {
        // The detector itself, on types that break the rule: without this the test above could pass by seeing nothing.
        using ModuleDefinition module = ModuleDefinition.ReadModule(typeof(ActorSystem).Assembly.Location);
        TypeDefinition direct = Probe(module, "Papyra.Persistence.Probe", "Direct", module.GetType("Papyra.ActorSystem"));
        TypeDefinition helper = Probe(module, "Papyra.Diagnostics", "SharedHelper", module.GetType("Papyra.Actors.ActorCell"));
        TypeDefinition indirect = Probe(module, "Papyra.Persistence.Probe", "Indirect", helper);

        Assert.Equal(["Papyra.Persistence.Probe.Direct -> Papyra.ActorSystem"], ActorRuntimeReachedFrom([direct], module));
        Assert.Equal(["Papyra.Persistence.Probe.Indirect -> Papyra.Diagnostics.SharedHelper -> Papyra.Actors.ActorCell"], ActorRuntimeReachedFrom([indirect], module));
    }

    // A type whose one method loads the token of `target`.
    private static TypeDefinition Probe(ModuleDefinition module, string ns, string name, TypeReference target)
    {
        var probe = new TypeDefinition(ns, name, Mono.Cecil.TypeAttributes.Public | Mono.Cecil.TypeAttributes.Abstract | Mono.Cecil.TypeAttributes.Sealed, module.TypeSystem.Object);
        var method = new MethodDefinition("Touch", Mono.Cecil.MethodAttributes.Public | Mono.Cecil.MethodAttributes.Static, module.TypeSystem.Void);
        ILProcessor il = method.Body.GetILProcessor();
        il.Emit(OpCodes.Ldtoken, target);
        il.Emit(OpCodes.Pop);
        il.Emit(OpCodes.Ret);
        probe.Methods.Add(method);
        return probe;
    }

    // Shared infrastructure of the runtime that persistence may use, as long as it does not lead to the actor runtime:
    // it is followed, not flagged.
    private static readonly string[] SharedNamespaces = ["Papyra.Diagnostics", "Papyra.Metrics"];

    // Walks from the given persistence types through every type of Papyra.Runtime they use; any type reached outside
    // persistence and the shared namespaces is the actor runtime (Papyra, Papyra.Actors, Mailboxes, Dispatch, ...).
    private static string[] ActorRuntimeReachedFrom(IEnumerable<TypeDefinition> start, ModuleDefinition module)
    {
        var violations = new SortedSet<string>(StringComparer.Ordinal);
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<(TypeDefinition Type, string Path)>(start.Select(t => (t, Outermost(t).FullName)));
        while (queue.Count > 0)
        {
            (TypeDefinition type, string path) = queue.Dequeue();
            foreach (TypeReference used in UsedTypes(type))
            {
                if (OwnNonPersistenceType(used, module) is not { } target)
                {
                    continue;
                }

                string ns = Outermost(target).Namespace;
                if (!SharedNamespaces.Contains(ns))
                {
                    violations.Add(path + " -> " + Outermost(target).FullName);
                }
                else if (visited.Add(target.FullName) && (target as TypeDefinition ?? target.Resolve()) is { } definition)
                {
                    queue.Enqueue((definition, path + " -> " + Outermost(target).FullName));
                    foreach (TypeDefinition nested in AllTypes(definition.NestedTypes))
                    {
                        queue.Enqueue((nested, path + " -> " + Outermost(target).FullName));
                    }
                }
            }
        }

        return [.. violations];
    }

    private static bool IsPersistenceNamespace(string ns) => ns == "Papyra.Persistence" || ns.StartsWith("Papyra.Persistence.", StringComparison.Ordinal);

    private static bool IsPersistence(TypeDefinition type) => IsPersistenceNamespace(type.Namespace);

    private static TypeReference Outermost(TypeReference type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type;
    }

    private static TypeDefinition Outermost(TypeDefinition type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type;
    }

    // A type defined in Papyra.Runtime itself, outside persistence, that is not compiler-emitted plumbing
    // (embedded Nullable/IsReadOnly attributes, <PrivateImplementationDetails>), or null.
    private static TypeReference? OwnNonPersistenceType(TypeReference used, ModuleDefinition module)
    {
        TypeReference element = used;
        while (element is TypeSpecification specification)
        {
            element = specification.ElementType;
        }

        if (element is GenericParameter)
        {
            return null;
        }

        bool definedHere = element is TypeDefinition || element.Scope is ModuleDefinition || (element.Scope is { } scope && scope.Name == module.Name);
        if (!definedHere)
        {
            return null;
        }

        string ns = Outermost(element).Namespace;
        if (IsPersistenceNamespace(ns) || ns.StartsWith("System", StringComparison.Ordinal) || ns.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) || ns.Length == 0)
        {
            return null;
        }

        return element;
    }

    private static IEnumerable<TypeDefinition> AllTypes(IEnumerable<TypeDefinition> types)
    {
        foreach (TypeDefinition type in types)
        {
            yield return type;
            foreach (TypeDefinition nested in AllTypes(type.NestedTypes))
            {
                yield return nested;
            }
        }
    }

    // Every type a type mentions: base, interfaces, attributes, members' signatures and everything its IL touches.
    private static IEnumerable<TypeReference> UsedTypes(TypeDefinition type)
    {
        var found = new List<TypeReference>();
        void Add(TypeReference? reference)
        {
            if (reference is null)
            {
                return;
            }

            found.Add(reference);
            if (reference is GenericInstanceType generic)
            {
                generic.GenericArguments.ToList().ForEach(Add);
            }
        }

        void AddAttributes(Mono.Cecil.ICustomAttributeProvider provider)
        {
            foreach (CustomAttribute attribute in provider.CustomAttributes)
            {
                Add(attribute.AttributeType);
                foreach (CustomAttributeArgument argument in attribute.ConstructorArguments)
                {
                    Add(argument.Type);
                    Add(argument.Value as TypeReference);
                }
            }
        }

        void AddMethod(MethodReference method)
        {
            Add(method.DeclaringType);
            Add(method.ReturnType);
            method.Parameters.Select(p => p.ParameterType).ToList().ForEach(Add);
            if (method is GenericInstanceMethod genericMethod)
            {
                genericMethod.GenericArguments.ToList().ForEach(Add);
            }
        }

        Add(type.BaseType);
        type.Interfaces.Select(i => i.InterfaceType).ToList().ForEach(Add);
        AddAttributes(type);
        type.GenericParameters.SelectMany(p => p.Constraints).Select(c => c.ConstraintType).ToList().ForEach(Add);
        foreach (FieldDefinition field in type.Fields)
        {
            Add(field.FieldType);
            AddAttributes(field);
        }

        foreach (PropertyDefinition property in type.Properties)
        {
            Add(property.PropertyType);
            AddAttributes(property);
        }

        foreach (EventDefinition @event in type.Events)
        {
            Add(@event.EventType);
        }

        foreach (MethodDefinition method in type.Methods)
        {
            AddMethod(method);
            AddAttributes(method);
            method.Overrides.ToList().ForEach(AddMethod);
            if (!method.HasBody)
            {
                continue;
            }

            method.Body.Variables.Select(v => v.VariableType).ToList().ForEach(Add);
            foreach (Instruction instruction in method.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case TypeReference typeOperand:
                        Add(typeOperand);
                        break;
                    case MethodReference methodOperand:
                        AddMethod(methodOperand);
                        break;
                    case FieldReference fieldOperand:
                        Add(fieldOperand.DeclaringType);
                        Add(fieldOperand.FieldType);
                        break;
                }
            }
        }

        return found;
    }

    [GeneratedRegex(@"^namespace\s+(?<ns>[\w.]+)", RegexOptions.Multiline)]
    private static partial Regex FileNamespace();
}
