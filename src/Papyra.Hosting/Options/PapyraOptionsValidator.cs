using System.Globalization;
using Microsoft.Extensions.Options;
using Papyra.Persistence;
using Papyra.Persistence.Configuration;
using Papyra.Persistence.Rotating;

namespace Papyra.Hosting;

/// <summary>Rejects configurations that cannot work, naming the bad value, when the host starts.</summary>
internal sealed class PapyraOptionsValidator(IEnumerable<IPersistenceBackendProvider> providers) : IValidateOptions<PapyraOptions>
{
    private readonly PersistenceBackendProviders _providers = PersistenceBackendProviders.BuiltIn.With(providers);

    public ValidateOptionsResult Validate(string? name, PapyraOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> failures = [];

        if (!ActorAddress.IsValidSystemId(options.SystemId))
        {
            failures.Add($"Papyra:SystemId '{options.SystemId}' is invalid: use 1 to {ActorAddress.MaxSystemIdLength.ToString(CultureInfo.InvariantCulture)} characters from A-Z a-z 0-9 - _ .");
        }

        if (options.BackendFactory is null)
        {
            if (!_providers.TryGet(options.Backend, out IPersistenceBackendProvider? provider))
            {
                failures.Add($"Papyra:Backend '{options.Backend}' is not a known backend ({string.Join(", ", _providers.Names)}); register another backend's provider with AddPapyraBackend.");
            }
            else if (PapyraBackendFactory.IsFileBackend(provider.Name) && string.IsNullOrWhiteSpace(options.Path))
            {
                failures.Add($"Papyra:Path is required when Papyra:Backend is {options.Backend}.");
            }
        }

        if (options.Path is { } path && path.IndexOfAny(System.IO.Path.GetInvalidPathChars()) >= 0)
        {
            failures.Add($"Papyra:Path '{path}' contains characters that are not valid in a path.");
        }

        if (!Enum.IsDefined(options.Durability))
        {
            failures.Add($"Papyra:Durability '{options.Durability}' is not one of None, Flush, Fsync.");
        }

        PapyraRotationOptions rotation = options.Rotation ?? new PapyraRotationOptions();
        if (PapyraBackendFactory.IsBackend(options, RotatingFilePersistenceBackend.BackendName) && rotation.MaxBytes < 1)
        {
            failures.Add($"Papyra:Rotation:MaxBytes {rotation.MaxBytes.ToString(CultureInfo.InvariantCulture)} is invalid: it must be 1 or greater.");
        }

        if (PapyraBackendFactory.IsBackend(options, RotatingFilePersistenceBackend.BackendName) && rotation.MaxFiles < 1)
        {
            failures.Add($"Papyra:Rotation:MaxFiles {rotation.MaxFiles.ToString(CultureInfo.InvariantCulture)} is invalid: it must be 1 or greater.");
        }

        PapyraRetentionOptions retention = options.Retention ?? new PapyraRetentionOptions();
        if (!RetentionPolicy.IsValidLimit(retention.MaxRecords))
        {
            failures.Add($"Papyra:Retention:MaxRecords {retention.MaxRecords!.Value.ToString(CultureInfo.InvariantCulture)} is invalid: it must be a positive number, or absent for unlimited.");
        }

        if (!RetentionPolicy.IsValidAge(retention.MaxAgeSeconds))
        {
            failures.Add($"Papyra:Retention:MaxAgeSeconds {retention.MaxAgeSeconds!.Value.ToString(CultureInfo.InvariantCulture)} is invalid: it must be a positive number, or absent for unlimited.");
        }

        if (!RetentionPolicy.IsValidLimit(retention.MaxTotalBytes))
        {
            failures.Add($"Papyra:Retention:MaxTotalBytes {retention.MaxTotalBytes!.Value.ToString(CultureInfo.InvariantCulture)} is invalid: it must be a positive number, or absent for unlimited.");
        }

        PapyraStartupOptions startup = options.Startup ?? new PapyraStartupOptions();
        if (!Enum.IsDefined(startup.Mode))
        {
            failures.Add($"Papyra:Startup:Mode '{startup.Mode}' is not one of Ignore, FailOnAnomaly, Recover.");
        }

        if (!Enum.IsDefined(startup.RecoveryMode))
        {
            failures.Add($"Papyra:Startup:RecoveryMode '{startup.RecoveryMode}' is not one of Ignore, Repair, Quarantine.");
        }

        PapyraHealthOptions health = options.Health ?? new PapyraHealthOptions();
        if (health.ScanInterval < TimeSpan.Zero)
        {
            failures.Add($"Papyra:Health:ScanInterval {health.ScanInterval.ToString("c", CultureInfo.InvariantCulture)} is invalid: it must be zero (scan on every probe) or positive.");
        }

        PapyraEndpointOptions endpoints = options.Endpoints ?? new PapyraEndpointOptions();
        if (endpoints.EnableMutatingEndpoints && string.IsNullOrWhiteSpace(endpoints.AuthorizationPolicy))
        {
            failures.Add("Papyra:Endpoints:EnableMutatingEndpoints is true but Papyra:Endpoints:AuthorizationPolicy names no policy: mutating endpoints are only exposed behind an authorization policy.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
