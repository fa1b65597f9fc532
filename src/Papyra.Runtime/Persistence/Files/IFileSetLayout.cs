using Papyra.Persistence.Scanning;

namespace Papyra.Persistence.Files;

/// <summary>Which files make up a store: one file (JSON lines) or a rotation set.</summary>
internal interface IFileSetLayout
{
    /// <summary>The store's main (active) file.</summary>
    string PrimaryPath { get; }

    /// <summary>The readable data files that exist, oldest first.</summary>
    IReadOnlyList<string> DataFilesOldestFirst();

    /// <summary>Adds anomalies about the file set itself (stray files, unreadable slots) before the content scan.</summary>
    void AddLayoutAnomalies(AnomalyCollector anomalies);

    /// <summary>Files recovery moves aside (stray or unreadable entries); each entry says whether Repair mode moves it too (Quarantine moves all).</summary>
    IReadOnlyList<(string Path, bool Repairable)> FilesToMoveAside();
}
