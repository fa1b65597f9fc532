namespace Papyra.Reports;

/// <summary>The body of a refused request: <c>{"error": "one sentence"}</c>.</summary>
/// <param name="Error">What is wrong, in one sentence.</param>
[PapyraInternal]
public sealed record ErrorJson(string Error);
