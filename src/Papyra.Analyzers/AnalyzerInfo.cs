namespace Papyra.Analyzers
{
    /// <summary>Facts about the Papyra analyzers.</summary>
    internal static class AnalyzerInfo
    {
        /// <summary>The prefix of every diagnostic id.</summary>
        public const string IdPrefix = "PAP";
    }
}
