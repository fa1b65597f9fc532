namespace Papyra.Persistence;

/// <summary>A backend that can repair or quarantine damaged stored data.</summary>
public interface IPersistenceRecoverer
{
    /// <summary>
    /// Scans, applies the recovery <paramref name="config"/> to what the scan found, then runs a
    /// verification scan. Nothing valid is lost: repair keeps every valid record and moves rejected
    /// content aside; quarantine moves the damaged store aside intact.
    /// </summary>
    /// <param name="config">What to do with damage; <see langword="null"/> means <see cref="PersistenceRecoveryMode.Ignore"/>.</param>
    /// <param name="cancellationToken">Cancels the recovery before it starts rewriting.</param>
    /// <returns>The recovery report, including the initial and the verification scans.</returns>
    ValueTask<PersistenceRecoveryReport> RecoverAsync(PersistenceRecoveryConfig? config = null, CancellationToken cancellationToken = default);
}
