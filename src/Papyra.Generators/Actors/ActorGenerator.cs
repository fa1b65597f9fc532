using Microsoft.CodeAnalysis;

namespace Papyra.Generators.Actors
{
    /// <summary>
    /// For every <c>[Actor]</c> partial class deriving <c>Papyra.Actor</c>, generates the message
    /// dispatch (<c>ReceiveAsync</c> as a type switch over its handlers) and a typed proxy
    /// (<c>CounterRef</c>) with spawn extensions.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class ActorGenerator : IIncrementalGenerator
    {
        /// <summary>The tracking name of the parse step (used by the incrementality tests).</summary>
        public const string ParseStep = "ActorModels";

        /// <inheritdoc/>
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            IncrementalValuesProvider<ActorModel> actors = context.SyntaxProvider
                .ForAttributeWithMetadataName(ActorParser.ActorAttributeName, ActorParser.IsCandidate, ActorParser.Parse)
                .Where(static model => model is not null)
                .Select(static (model, _) => model!)
                .WithTrackingName(ParseStep);

            context.RegisterSourceOutput(actors, static (output, model) =>
            {
                output.AddSource(ActorDispatchEmitter.HintName(model), ActorDispatchEmitter.Emit(model));
                if (ActorRefEmitter.CanEmit(model))
                {
                    output.AddSource(ActorRefEmitter.HintName(model), ActorRefEmitter.Emit(model));
                }
            });
        }
    }
}
