using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Papyra.Analyzers;

/// <summary>
/// The base of every Papyra analyzer: configures concurrent execution, skips generated code, resolves
/// <see cref="PapyraSymbols"/> once per compilation and does nothing when Papyra is not referenced.
/// </summary>
public abstract class PapyraDiagnosticAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public sealed override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (PapyraSymbols.TryCreate(start.Compilation) is { } symbols)
            {
                InitializeCompilation(start, symbols);
            }
        });
    }

    /// <summary>Registers the rule's actions for a compilation that references Papyra.</summary>
    /// <param name="context">The compilation start context.</param>
    /// <param name="symbols">Papyra's well-known symbols for this compilation.</param>
    internal abstract void InitializeCompilation(CompilationStartAnalysisContext context, PapyraSymbols symbols);
}
