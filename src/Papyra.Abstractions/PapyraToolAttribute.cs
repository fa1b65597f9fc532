namespace Papyra;

/// <summary>
/// Declares that an assembly is an external tool (an exporter, a monitor, a CLI of its own) that
/// may depend only on Papyra's stable contracts in <c>Papyra.Abstractions</c>. The Papyra analyzers
/// report any use of another Papyra assembly from such an assembly as an error.
/// The MSBuild property <c>PapyraTool=true</c> has the same effect.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, Inherited = false)]
public sealed class PapyraToolAttribute : Attribute
{
}
