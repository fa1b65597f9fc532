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
}
