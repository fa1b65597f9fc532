namespace Papyra.Hosting;

/// <summary>The size bounds of the rotating backend, bound from <c>Papyra:Rotation</c>.</summary>
public sealed class PapyraRotationOptions
{
    /// <summary>The largest size of one file before the set rotates, in bytes. Default 50,000,000.</summary>
    public long MaxBytes { get; set; } = Papyra.Persistence.Rotating.RotatingFilePersistenceOptions.DefaultMaxBytes;

    /// <summary>How many files the set keeps; when it is full the oldest is deleted (and the dropped records counted). Default 5.</summary>
    public int MaxFiles { get; set; } = Papyra.Persistence.Rotating.RotatingFilePersistenceOptions.DefaultMaxFiles;
}
