using Microsoft.CodeAnalysis;

namespace Papyra.Shared.Actors
{
    /// <summary>What <see cref="HandlerShapes.Classify"/> found: a valid handler's parts, or why the method is none.</summary>
    internal readonly struct HandlerShape
    {
        private HandlerShape(string? problem, bool isCompilerError, ITypeSymbol? message, bool takesCancellationToken, HandlerReturnKind returnKind, ITypeSymbol? result)
        {
            Problem = problem;
            IsCompilerError = isCompilerError;
            Message = message;
            TakesCancellationToken = takesCancellationToken;
            ReturnKind = returnKind;
            Result = result;
        }

        /// <summary>Why the method is not a handler (completes PAP1003's message), or null for a valid handler.</summary>
        public string? Problem { get; }

        /// <summary>Whether the problem is a type that does not compile, which the compiler reports already.</summary>
        public bool IsCompilerError { get; }

        /// <summary>Whether the generator dispatches the method.</summary>
        public bool IsValid => Problem is null;

        /// <summary>The type the dispatch matches (see <see cref="HandlerShapes.MessageType"/>); null when invalid.</summary>
        public ITypeSymbol? Message { get; }

        /// <summary>Whether a <c>CancellationToken</c> follows the message.</summary>
        public bool TakesCancellationToken { get; }

        /// <summary>The return shape.</summary>
        public HandlerReturnKind ReturnKind { get; }

        /// <summary>The reply type for <see cref="HandlerReturnKind.Value"/>, <see cref="HandlerReturnKind.TaskOfT"/> and <see cref="HandlerReturnKind.ValueTaskOfT"/>; otherwise null.</summary>
        public ITypeSymbol? Result { get; }

        /// <summary>A valid handler.</summary>
        /// <param name="message">The dispatched message type.</param>
        /// <param name="takesCancellationToken">Whether a token follows the message.</param>
        /// <param name="returnKind">The return shape.</param>
        /// <param name="result">The reply type, if any.</param>
        /// <returns>The shape.</returns>
        public static HandlerShape Valid(ITypeSymbol message, bool takesCancellationToken, HandlerReturnKind returnKind, ITypeSymbol? result) =>
            new(null, false, message, takesCancellationToken, returnKind, result);

        /// <summary>Not a handler.</summary>
        /// <param name="problem">Why, as the end of "... is not a valid handler: ".</param>
        /// <param name="isCompilerError">Whether the compiler reports the cause already.</param>
        /// <returns>The shape.</returns>
        public static HandlerShape Invalid(string problem, bool isCompilerError = false) =>
            new(problem, isCompilerError, null, false, default, null);
    }
}
