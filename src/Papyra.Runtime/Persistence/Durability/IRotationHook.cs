namespace Papyra.Persistence.Durability;

/// <summary>Lets the rotating backend rotate its active file under the append lock.</summary>
internal interface IRotationHook
{
    /// <summary>Whether appending <paramref name="lineBytes"/> to an active file of <paramref name="activeBytes"/> must rotate first.</summary>
    bool ShouldRotate(long activeBytes, int lineBytes);

    /// <summary>Rotates the set; the active file has been synced and closed, and is reopened (created) afterwards.</summary>
    void Rotate();
}
