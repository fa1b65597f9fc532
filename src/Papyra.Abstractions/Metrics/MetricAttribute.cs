namespace Papyra.Metrics;

/// <summary>
/// Declares one metric of the schema on the same type (see <see cref="MetricSchemaAttribute"/>).
/// Metrics keep their declaration order in snapshots, dictionaries, JSON and exposition output.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true, Inherited = false)]
public sealed class MetricAttribute : Attribute
{
    /// <summary>Declares a metric.</summary>
    /// <param name="name">The snake_case name (lower-case letters, digits and single underscores), for example <c>records_written</c>.</param>
    /// <param name="kind">Counter or gauge.</param>
    /// <param name="description">One sentence without a final period, used in docs, Prometheus HELP lines and instrument descriptions.</param>
    public MetricAttribute(string name, MetricKind kind, string description)
    {
        Name = name;
        Kind = kind;
        Description = description;
    }

    /// <summary>The snake_case name.</summary>
    public string Name { get; }

    /// <summary>Counter or gauge.</summary>
    public MetricKind Kind { get; }

    /// <summary>The description.</summary>
    public string Description { get; }

    /// <summary>The UCUM unit of the instrument, for example <c>By</c> or <c>{record}</c>; null when unitless.</summary>
    public string? Unit { get; set; }
}
