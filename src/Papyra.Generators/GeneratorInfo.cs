namespace Papyra.Generators
{
    /// <summary>Facts about the Papyra source generators.</summary>
    internal static class GeneratorInfo
    {
        /// <summary>The prefix of every hint name the generators emit.</summary>
        public const string HintPrefix = "Papyra.";

        /// <summary>The version written into <c>[GeneratedCode]</c> attributes (changes only with the emitted code's shape).</summary>
        public const string Version = "1.0";
    }
}
