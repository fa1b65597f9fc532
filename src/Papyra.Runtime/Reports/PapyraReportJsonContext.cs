using System.Text.Json.Serialization;

namespace Papyra.Reports;

/// <summary>
/// The one source-generated JSON context of Papyra's reports (snake_case names, declaration order),
/// shared by the <c>papyra</c> tool and Papyra.Hosting so a report has one shape everywhere. Write
/// through <see cref="ReportJson"/>, which sets the escaper.
/// </summary>
[PapyraInternal]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(ScanReportJson))]
[JsonSerializable(typeof(RecoverReportJson))]
[JsonSerializable(typeof(StartupCheckReportJson))]
[JsonSerializable(typeof(CompactionReportJson))]
[JsonSerializable(typeof(HealthReportJson))]
[JsonSerializable(typeof(AuditReportJson))]
[JsonSerializable(typeof(ErrorJson))]
public sealed partial class PapyraReportJsonContext : JsonSerializerContext
{
}
