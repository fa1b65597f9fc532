using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Papyra.Generators.Common;
using Papyra.Shared.Actors;

namespace Papyra.Generators.Actors
{
    /// <summary>
    /// Writes an actor's <c>ReceiveAsync</c> override: one type switch over its handlers, most specific
    /// message type first. A synchronous handler completes the returned <c>ValueTask&lt;object?&gt;</c>
    /// synchronously, so a tell to it allocates nothing; task-returning handlers are awaited only when
    /// they did not complete synchronously.
    /// </summary>
    internal static class ActorDispatchEmitter
    {
        private const string ValueTaskOfObject = "global::System.Threading.Tasks.ValueTask<object?>";
        private const string ReplyOfTask = "__PapyraReplyOfTask";
        private const string ReplyOfTaskResult = "__PapyraReplyOfTaskResult";
        private const string ReplyOfValueTask = "__PapyraReplyOfValueTask";
        private const string ReplyOfValueTaskResult = "__PapyraReplyOfValueTaskResult";

        /// <summary>The hint name of the dispatch file.</summary>
        /// <param name="model">The actor.</param>
        /// <returns>The hint name.</returns>
        public static string HintName(ActorModel model) => GeneratorInfo.HintPrefix + "Actors." + model.Actor.HintName + ".Dispatch.g.cs";

        /// <summary>Emits the dispatch override.</summary>
        /// <param name="model">The actor.</param>
        /// <returns>C# source.</returns>
        public static string Emit(ActorModel model)
        {
            var writer = new SourceWriter();
            TypeShape shape = model.Actor;
            TypeShapeWriter.OpenContainers(writer, shape);
            writer.WriteLine(shape.Declaration.PartialHeader);
            writer.OpenBlock();
            writer.WriteLine("/// <summary>");
            writer.WriteLine("/// Dispatches <paramref name=\"message\"/> to the handler for its type (the most specific message type wins);");
            writer.WriteLine(model.FallsBackToBase
                ? "/// other messages go to the base class's dispatch."
                : "/// other messages go to <c>Unhandled</c> (a dead letter, and an ask fails with <c>UnhandledMessageException</c>).");
            writer.WriteLine("/// </summary>");
            writer.WriteLine("/// <param name=\"message\">The message.</param>");
            writer.WriteLine("/// <param name=\"cancellationToken\">Signalled when the actor system shuts down; passed to handlers that take one.</param>");
            writer.WriteLine("/// <returns>The handler's reply (<see langword=\"null\"/> for handlers without a result).</returns>");
            writer.WriteLine("[global::System.CodeDom.Compiler.GeneratedCode(\"" + HandlerShapes.GeneratorName + "\", \"" + GeneratorInfo.Version + "\")]");
            writer.WriteLine((model.ReceiveIsProtectedInternal ? "protected internal" : "protected") + " override " + ValueTaskOfObject + " ReceiveAsync(object message, global::System.Threading.CancellationToken cancellationToken)");
            writer.OpenBlock();
            writer.WriteLine("switch (message)");
            writer.OpenBlock();
            for (int i = 0; i < model.Handlers.Count; i++)
            {
                HandlerModel handler = model.Handlers[i];
                string variable = "m" + i.ToString(CultureInfo.InvariantCulture);
                string call = handler.MethodName + "(" + variable + (handler.TakesCancellationToken ? ", cancellationToken" : string.Empty) + ")";
                writer.WriteLine("case " + handler.MessageType + " " + variable + ":");
                writer.Indent();
                switch (handler.ReturnKind)
                {
                    case HandlerReturnKind.Void:
                        writer.WriteLine(call + ";");
                        writer.WriteLine("return default;");
                        break;
                    case HandlerReturnKind.Value:
                        writer.WriteLine("return new " + ValueTaskOfObject + "(" + call + ");");
                        break;
                    case HandlerReturnKind.Task:
                        writer.WriteLine("return " + ReplyOfTask + "(" + call + ");");
                        break;
                    case HandlerReturnKind.TaskOfT:
                        writer.WriteLine("return " + ReplyOfTaskResult + "(" + call + ");");
                        break;
                    case HandlerReturnKind.ValueTask:
                        writer.WriteLine("return " + ReplyOfValueTask + "(" + call + ");");
                        break;
                    case HandlerReturnKind.ValueTaskOfT:
                        writer.WriteLine("return " + ReplyOfValueTaskResult + "(" + call + ");");
                        break;
                }

                writer.Unindent();
            }

            writer.WriteLine("default:");
            writer.Indent();
            writer.WriteLine(model.FallsBackToBase ? "return base.ReceiveAsync(message, cancellationToken);" : "return Unhandled(message);");
            writer.Unindent();
            writer.CloseBlock();
            writer.CloseBlock();
            WriteReplyHelpers(writer, new HashSet<HandlerReturnKind>(model.Handlers.Select(h => h.ReturnKind)));
            writer.CloseBlock();
            TypeShapeWriter.CloseContainers(writer, shape);
            return writer.ToString();
        }

        private static void WriteReplyHelpers(SourceWriter writer, HashSet<HandlerReturnKind> used)
        {
            if (used.Contains(HandlerReturnKind.Task))
            {
                writer.WriteLine();
                writer.WriteLine("private static " + ValueTaskOfObject + " " + ReplyOfTask + "(global::System.Threading.Tasks.Task task)");
                writer.OpenBlock();
                writer.WriteLine("return task.IsCompletedSuccessfully ? default : Await(task);");
                writer.WriteLine();
                writer.WriteLine("static async " + ValueTaskOfObject + " Await(global::System.Threading.Tasks.Task pending)");
                writer.OpenBlock();
                writer.WriteLine("await pending.ConfigureAwait(false);");
                writer.WriteLine("return null;");
                writer.CloseBlock();
                writer.CloseBlock();
            }

            if (used.Contains(HandlerReturnKind.TaskOfT))
            {
                writer.WriteLine();
                writer.WriteLine("private static " + ValueTaskOfObject + " " + ReplyOfTaskResult + "<TPapyraResult>(global::System.Threading.Tasks.Task<TPapyraResult> task)");
                writer.OpenBlock();
                writer.WriteLine("return task.IsCompletedSuccessfully ? new " + ValueTaskOfObject + "(task.Result) : Await(task);");
                writer.WriteLine();
                writer.WriteLine("static async " + ValueTaskOfObject + " Await(global::System.Threading.Tasks.Task<TPapyraResult> pending)");
                writer.OpenBlock();
                writer.WriteLine("return await pending.ConfigureAwait(false);");
                writer.CloseBlock();
                writer.CloseBlock();
            }

            if (used.Contains(HandlerReturnKind.ValueTask))
            {
                writer.WriteLine();
                writer.WriteLine("private static " + ValueTaskOfObject + " " + ReplyOfValueTask + "(global::System.Threading.Tasks.ValueTask task)");
                writer.OpenBlock();
                writer.WriteLine("if (task.IsCompletedSuccessfully)");
                writer.OpenBlock();
                writer.WriteLine("// Observes the result so a pooled IValueTaskSource is released.");
                writer.WriteLine("task.GetAwaiter().GetResult();");
                writer.WriteLine("return default;");
                writer.CloseBlock();
                writer.WriteLine();
                writer.WriteLine("return Await(task);");
                writer.WriteLine();
                writer.WriteLine("static async " + ValueTaskOfObject + " Await(global::System.Threading.Tasks.ValueTask pending)");
                writer.OpenBlock();
                writer.WriteLine("await pending.ConfigureAwait(false);");
                writer.WriteLine("return null;");
                writer.CloseBlock();
                writer.CloseBlock();
            }

            if (used.Contains(HandlerReturnKind.ValueTaskOfT))
            {
                writer.WriteLine();
                writer.WriteLine("private static " + ValueTaskOfObject + " " + ReplyOfValueTaskResult + "<TPapyraResult>(global::System.Threading.Tasks.ValueTask<TPapyraResult> task)");
                writer.OpenBlock();
                writer.WriteLine("return task.IsCompletedSuccessfully ? new " + ValueTaskOfObject + "(task.Result) : Await(task);");
                writer.WriteLine();
                writer.WriteLine("static async " + ValueTaskOfObject + " Await(global::System.Threading.Tasks.ValueTask<TPapyraResult> pending)");
                writer.OpenBlock();
                writer.WriteLine("return await pending.ConfigureAwait(false);");
                writer.CloseBlock();
                writer.CloseBlock();
            }
        }
    }
}
