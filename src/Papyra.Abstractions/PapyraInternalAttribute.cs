namespace Papyra;

/// <summary>
/// Marks an API that is public only for Papyra's own assemblies. Code outside Papyra must not use it:
/// the Papyra analyzers report such use as an error (PAP0001), and it may change in any release.
/// </summary>
[AttributeUsage(AttributeTargets.All, Inherited = false)]
public sealed class PapyraInternalAttribute : Attribute
{
}
