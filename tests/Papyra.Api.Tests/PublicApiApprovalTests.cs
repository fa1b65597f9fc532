using System.Reflection;
using PublicApiGenerator;
using Papyra.TestSupport;

namespace Papyra.Api.Tests;

/// <summary>
/// Every shipped assembly's public API is approved in api/&lt;Assembly&gt;.txt. A change to the
/// surface fails here with a diff naming the member; approve it deliberately (README: "Approving a
/// changed public API").
/// </summary>
public sealed class PublicApiApprovalTests
{
    public static TheoryData<string> ShippedAssemblies => new()
    {
        "Papyra.Abstractions",
        "Papyra.Runtime",
        "Papyra.Persistence.Redis",
        "Papyra.Hosting",
        "Papyra.Testing",
    };

    [Theory]
    [MemberData(nameof(ShippedAssemblies))]
    public void Public_api_matches_the_approved_snapshot(string assemblyName)
    {
        Assembly assembly = Assembly.Load(assemblyName);
        string api = PublicApi.Render(assembly);
        Approvals.Verify($"{assemblyName}.txt", api);
    }

    /// <summary>
    /// The types public only so Papyra's own packages can share them are approved apart, in
    /// api/&lt;Assembly&gt;.internal.txt: reviewed like the contract, but promised to nobody.
    /// </summary>
    [Theory]
    [MemberData(nameof(ShippedAssemblies))]
    public void Papyra_internal_types_match_their_approved_snapshot(string assemblyName)
    {
        Assembly assembly = Assembly.Load(assemblyName);
        string snapshot = Path.Combine(Approvals.ApiDirectory, $"{assemblyName}.internal.txt");
        if (PublicApi.RenderInternal(assembly) is { } api)
        {
            Approvals.Verify($"{assemblyName}.internal.txt", api);
        }
        else
        {
            Assert.False(File.Exists(snapshot), $"{assemblyName} has no [PapyraInternal] type any more: delete {snapshot}.");
        }
    }
}
