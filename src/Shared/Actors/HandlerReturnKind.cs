namespace Papyra.Shared.Actors
{
    /// <summary>What a handler returns, which decides how its reply reaches the runtime.</summary>
    internal enum HandlerReturnKind
    {
        /// <summary><c>void</c>: no reply (an ask receives null).</summary>
        Void,

        /// <summary>A value <c>T</c>.</summary>
        Value,

        /// <summary><c>Task</c>.</summary>
        Task,

        /// <summary><c>Task&lt;T&gt;</c>.</summary>
        TaskOfT,

        /// <summary><c>ValueTask</c>.</summary>
        ValueTask,

        /// <summary><c>ValueTask&lt;T&gt;</c>.</summary>
        ValueTaskOfT,
    }
}
