namespace Papyra;

/// <summary>A failure as seen by <see cref="ISystemHooks.OnFailureAsync(FailureInfo, CancellationToken)"/>.</summary>
/// <param name="Address">The actor that failed.</param>
/// <param name="Error">The exception.</param>
/// <param name="Strategy">The failing actor's own strategy.</param>
/// <param name="SupervisorDecision">The parent's decision, when the parent gave one; <see langword="null"/> on the first report.</param>
public sealed record FailureInfo(ActorAddress Address, Exception Error, SupervisionStrategy Strategy, SupervisorDecision? SupervisorDecision);
