using Papyra.Persistence;

namespace Papyra.Testing;

/// <summary>What a conformance test asks of the backend it creates.</summary>
/// <param name="Retention">The retention policy the backend must apply.</param>
/// <param name="TimeProvider">The clock the backend must measure age retention with.</param>
public sealed record BackendTestOptions(RetentionPolicy Retention, TimeProvider TimeProvider);
