using System.Collections.Generic;
using System.Linq;
using Papyra.Generators.Common;
using Papyra.Shared.Actors;

namespace Papyra.Generators.Actors
{
    /// <summary>
    /// Writes an actor's typed proxy (<c>CounterRef</c> for <c>Counter</c>: a tell method per handler
    /// without a result, an ask method per handler with one) and the spawn extensions returning it.
    /// </summary>
    internal static class ActorRefEmitter
    {
        private const string ActorRef = "global::Papyra.ActorRef";
        private const string TimeoutParameter = "global::System.TimeSpan? timeout = null";
        private const string TokenParameter = "global::System.Threading.CancellationToken cancellationToken = default";
        private const string SpawnOptions = "string? name = null, global::Papyra.ActorRef? parent = null, global::Papyra.SupervisionPolicy? policy = null, global::Papyra.MailboxOptions? mailbox = null";
        private const string ChildSpawnOptions = "string? name = null, global::Papyra.SupervisionPolicy? policy = null, global::Papyra.MailboxOptions? mailbox = null";

        private static readonly HashSet<string> ReservedNames = new HashSet<string>(System.StringComparer.Ordinal)
        {
            "Ref", "Address", "Equals", "GetHashCode", "ToString", "GetType", "MemberwiseClone", "Finalize",
        };

        /// <summary>Whether a proxy can be emitted: the actor is visible in its assembly and no container is generic.</summary>
        /// <param name="model">The actor.</param>
        /// <returns>True when <see cref="Emit"/> applies.</returns>
        public static bool CanEmit(ActorModel model) =>
            model.ProxyAccessibility.Length > 0 && model.Actor.ContainingTypes.All(c => c.TypeParameters.Length == 0);

        /// <summary>The hint name of the proxy file.</summary>
        /// <param name="model">The actor.</param>
        /// <returns>The hint name.</returns>
        public static string HintName(ActorModel model) => GeneratorInfo.HintPrefix + "Actors." + model.Actor.HintName + ".Ref.g.cs";

        /// <summary>Emits the proxy class and its spawn extensions.</summary>
        /// <param name="model">The actor.</param>
        /// <returns>C# source.</returns>
        public static string Emit(ActorModel model)
        {
            var writer = new SourceWriter();
            TypeShape shape = model.Actor;
            string actorName = shape.Declaration.Name;
            string refName = actorName + "Ref";
            string typeParameters = shape.Declaration.TypeParameters;
            string constraints = model.TypeParameterConstraints.Length == 0 ? string.Empty : " " + model.TypeParameterConstraints;
            string refType = RefTypeName(shape, refName);
            string actorDisplay = SourceWriter.EscapeXml(actorName + typeParameters);

            TypeShapeWriter.OpenContainers(writer, shape);
            writer.WriteLine("/// <summary>");
            writer.WriteLine("/// A typed reference to a <c>" + actorDisplay + "</c> actor: one method per message handler (a tell for handlers");
            writer.WriteLine("/// without a result, plus an awaitable one for asynchronous handlers; an ask with timeout and cancellation for handlers with one). " + (model.CanSpawn ? "Get one from <c>Spawn" + actorName + "</c>" : "Get one by"));
            writer.WriteLine("/// " + (model.CanSpawn ? "or " : string.Empty) + "wrap" + (model.CanSpawn ? " " : "ping ") + "an <see cref=\"" + ActorRef + "\"/> known to point at a <c>" + actorDisplay + "</c>.");
            writer.WriteLine("/// </summary>");
            writer.WriteLine("[global::System.CodeDom.Compiler.GeneratedCode(\"Papyra.Generators\", \"" + GeneratorInfo.Version + "\")]");
            writer.WriteLine(model.ProxyAccessibility + " sealed class " + refName + typeParameters + " : global::System.IEquatable<" + refType + ">" + constraints);
            writer.OpenBlock();
            writer.WriteSummary("Wraps an untyped reference to a " + actorName + " actor (no check is made: the caller knows the actor's type).");
            writer.WriteLine("/// <param name=\"actorRef\">The untyped reference.</param>");
            writer.WriteLine("/// <exception cref=\"global::System.ArgumentNullException\"><paramref name=\"actorRef\"/> is null.</exception>");
            writer.WriteLine("public " + refName + "(" + ActorRef + " actorRef) => Ref = actorRef ?? throw new global::System.ArgumentNullException(nameof(actorRef));");
            writer.WriteLine();
            writer.WriteSummary("The untyped reference.");
            writer.WriteLine("public " + ActorRef + " Ref { get; }");
            writer.WriteLine();
            writer.WriteSummary("The actor's address.");
            writer.WriteLine("public global::Papyra.ActorAddress Address => Ref.Address;");

            var usedSignatures = new HashSet<string>(System.StringComparer.Ordinal);
            foreach (HandlerModel handler in model.Handlers)
            {
                string baseName = handler.MethodName.EndsWith("Async", System.StringComparison.Ordinal) && handler.MethodName.Length > "Async".Length
                    ? handler.MethodName.Substring(0, handler.MethodName.Length - "Async".Length)
                    : handler.MethodName;
                string methodName = handler.HasResult ? baseName + "Async" : baseName;
                if (!handler.TypesAreVisible || ReservedNames.Contains(methodName) || methodName == refName || !usedSignatures.Add(methodName + "(" + handler.MessageType + ")"))
                {
                    continue;
                }

                string summaryTarget = "<c>" + SourceWriter.EscapeXml(actorName + "." + handler.MethodName) + "</c>";
                string access = handler.TypesArePublic ? "public" : "internal";
                writer.WriteLine();
                if (handler.HasResult)
                {
                    writer.WriteSummary("Asks the actor, handled by " + handler.MethodName + ", and returns its reply.");
                    writer.WriteLine("/// <remarks>Handled by " + summaryTarget + ". See <see cref=\"" + ActorRef + ".AskAsync{TReply}(object, global::System.TimeSpan?, global::System.Threading.CancellationToken)\"/> for timeouts and errors.</remarks>");
                    writer.WriteLine("/// <param name=\"message\">The message.</param>");
                    writer.WriteLine("/// <param name=\"timeout\">How long to wait; null uses the system's default ask timeout.</param>");
                    writer.WriteLine("/// <param name=\"cancellationToken\">Cancels the wait.</param>");
                    writer.WriteLine("/// <returns>The handler's reply.</returns>");
                    writer.WriteLine(access + " global::System.Threading.Tasks.ValueTask<" + handler.ResultType + "> " + methodName + "(" + handler.MessageType + " message, " + TimeoutParameter + ", " + TokenParameter + ")");
                    writer.Indent();
                    writer.WriteLine("=> Ref.AskAsync<" + handler.ResultType + ">(message, timeout, cancellationToken);");
                    writer.Unindent();
                }
                else
                {
                    writer.WriteSummary("Tells the actor, handled by " + handler.MethodName + ", without waiting for it to be processed.");
                    writer.WriteLine("/// <remarks>Handled by " + summaryTarget + ". See <see cref=\"" + ActorRef + ".Tell(object)\"/>.</remarks>");
                    writer.WriteLine("/// <param name=\"message\">The message.</param>");
                    writer.WriteLine(access + " void " + methodName + "(" + handler.MessageType + " message) => Ref.Tell(message);");
                    if (handler.ReturnKind is HandlerReturnKind.Task or HandlerReturnKind.ValueTask)
                    {
                        WriteCompletionAsk(writer, handler, baseName + "Async", summaryTarget, access, usedSignatures);
                    }
                }
            }

            writer.WriteLine();
            writer.WriteLine("/// <inheritdoc/>");
            writer.WriteLine("public bool Equals(" + refType + "? other) => other is not null && Ref.Equals(other.Ref);");
            writer.WriteLine();
            writer.WriteLine("/// <inheritdoc/>");
            writer.WriteLine("public override bool Equals(object? obj) => obj is " + refType + " other && Equals(other);");
            writer.WriteLine();
            writer.WriteLine("/// <inheritdoc/>");
            writer.WriteLine("public override int GetHashCode() => Ref.GetHashCode();");
            writer.WriteLine();
            writer.WriteLine("/// <inheritdoc/>");
            writer.WriteLine("public override string ToString() => Ref.ToString();");
            writer.WriteLine();
            writer.WriteSummary("Whether two typed references point at the same actor.");
            writer.WriteLine("/// <param name=\"left\">A reference.</param>");
            writer.WriteLine("/// <param name=\"right\">Another reference.</param>");
            writer.WriteLine("/// <returns>True when both are null or share an address.</returns>");
            writer.WriteLine("public static bool operator ==(" + refType + "? left, " + refType + "? right) => left is null ? right is null : left.Equals(right);");
            writer.WriteLine();
            writer.WriteSummary("Whether two typed references point at different actors.");
            writer.WriteLine("/// <param name=\"left\">A reference.</param>");
            writer.WriteLine("/// <param name=\"right\">Another reference.</param>");
            writer.WriteLine("/// <returns>True unless both are null or share an address.</returns>");
            writer.WriteLine("public static bool operator !=(" + refType + "? left, " + refType + "? right) => !(left == right);");
            writer.WriteLine();
            writer.WriteSummary("The untyped reference of a typed one.");
            writer.WriteLine("/// <param name=\"typed\">The typed reference.</param>");
            writer.WriteLine("public static implicit operator " + ActorRef + "(" + refType + " typed) => (typed ?? throw new global::System.ArgumentNullException(nameof(typed))).Ref;");
            writer.CloseBlock();
            TypeShapeWriter.CloseContainers(writer, shape);

            if (model.CanSpawn)
            {
                WriteSpawnExtensions(writer, model, refType, constraints);
            }

            return writer.ToString();
        }

        /// <summary>
        /// For an asynchronous handler without a result (<c>Task</c>, <c>ValueTask</c>): an awaitable method that
        /// completes when the handler has, and throws what it threw, beside the tell.
        /// </summary>
        private static void WriteCompletionAsk(SourceWriter writer, HandlerModel handler, string methodName, string summaryTarget, string access, HashSet<string> usedSignatures)
        {
            if (ReservedNames.Contains(methodName) || !usedSignatures.Add(methodName + "(" + handler.MessageType + ")"))
            {
                return;
            }

            writer.WriteLine();
            writer.WriteSummary("Sends the message, handled by " + handler.MethodName + ", and waits until the handler has completed.");
            writer.WriteLine("/// <remarks>Handled by " + summaryTarget + ". The message is asked (see <see cref=\"" + ActorRef + ".AskAsync{TReply}(object, global::System.TimeSpan?, global::System.Threading.CancellationToken)\"/>): a failure of the handler is thrown here after supervision ran.</remarks>");
            writer.WriteLine("/// <param name=\"message\">The message.</param>");
            writer.WriteLine("/// <param name=\"timeout\">How long to wait; null uses the system's default ask timeout.</param>");
            writer.WriteLine("/// <param name=\"cancellationToken\">Cancels the wait.</param>");
            writer.WriteLine("/// <returns>A task that completes when the handler has.</returns>");
            writer.WriteLine(access + " async global::System.Threading.Tasks.ValueTask " + methodName + "(" + handler.MessageType + " message, " + TimeoutParameter + ", " + TokenParameter + ")");
            writer.Indent();
            writer.WriteLine("=> await Ref.AskAsync<object?>(message, timeout, cancellationToken).ConfigureAwait(false);");
            writer.Unindent();
        }

        private static void WriteSpawnExtensions(SourceWriter writer, ActorModel model, string refType, string constraints)
        {
            TypeShape shape = model.Actor;
            string actorName = shape.Declaration.Name;
            string typeParameters = shape.Declaration.TypeParameters;
            string actorType = shape.FullyQualifiedName;
            string arity = typeParameters.Length == 0 ? string.Empty : typeParameters.Split(',').Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
            string className = string.Concat(shape.ContainingTypes.Select(c => c.Name)) + actorName + arity + "ActorExtensions";
            string method = "Spawn" + actorName + typeParameters;

            writer.WriteLine();
            if (shape.Namespace.Length > 0)
            {
                writer.WriteLine("namespace " + shape.Namespace);
                writer.OpenBlock();
            }

            writer.WriteSummary("Spawns " + actorName + " actors and returns typed references to them.");
            writer.WriteLine("[global::System.CodeDom.Compiler.GeneratedCode(\"Papyra.Generators\", \"" + GeneratorInfo.Version + "\")]");
            writer.WriteLine(model.ProxyAccessibility + " static class " + className);
            writer.OpenBlock();
            if (model.CanSpawnWithNew)
            {
                writer.WriteSummary("Spawns a " + actorName + " (see ActorSystem.Spawn) and returns its typed reference.");
                WriteSpawnParameterDocs(writer, "system", "The actor system.", child: false, factory: false);
                writer.WriteLine("public static " + refType + " " + method + "(this global::Papyra.ActorSystem system, " + SpawnOptions + ")" + constraints);
                writer.Indent();
                writer.WriteLine("=> new " + refType + "((system ?? throw new global::System.ArgumentNullException(nameof(system))).Spawn<" + actorType + ">(name, parent, policy, mailbox));");
                writer.Unindent();
                writer.WriteLine();
            }

            writer.WriteSummary("Spawns a " + actorName + " from a factory (called again on every restart) and returns its typed reference.");
            WriteSpawnParameterDocs(writer, "system", "The actor system.", child: false, factory: true);
            writer.WriteLine("public static " + refType + " " + method + "(this global::Papyra.ActorSystem system, global::System.Func<" + actorType + "> factory, " + SpawnOptions + ")" + constraints);
            writer.Indent();
            writer.WriteLine("=> new " + refType + "((system ?? throw new global::System.ArgumentNullException(nameof(system))).Spawn(factory, name, parent, policy, mailbox));");
            writer.Unindent();
            if (model.CanSpawnWithNew)
            {
                writer.WriteLine();
                writer.WriteSummary("Spawns a " + actorName + " as a child of the calling actor and returns its typed reference.");
                WriteSpawnParameterDocs(writer, "context", "The parent's context.", child: true, factory: false);
                writer.WriteLine("public static " + refType + " " + method + "(this global::Papyra.ActorContext context, " + ChildSpawnOptions + ")" + constraints);
                writer.Indent();
                writer.WriteLine("=> new " + refType + "((context ?? throw new global::System.ArgumentNullException(nameof(context))).SpawnChild<" + actorType + ">(name, policy, mailbox));");
                writer.Unindent();
            }

            writer.WriteLine();
            writer.WriteSummary("Spawns a " + actorName + " from a factory as a child of the calling actor and returns its typed reference.");
            WriteSpawnParameterDocs(writer, "context", "The parent's context.", child: true, factory: true);
            writer.WriteLine("public static " + refType + " " + method + "(this global::Papyra.ActorContext context, global::System.Func<" + actorType + "> factory, " + ChildSpawnOptions + ")" + constraints);
            writer.Indent();
            writer.WriteLine("=> new " + refType + "((context ?? throw new global::System.ArgumentNullException(nameof(context))).SpawnChild(factory, name, policy, mailbox));");
            writer.Unindent();
            writer.WriteLine();
            writer.WriteSummary("Views an untyped reference, known to point at a " + actorName + ", as a typed one.");
            writer.WriteLine("/// <param name=\"actorRef\">The untyped reference.</param>");
            writer.WriteLine("/// <returns>The typed reference.</returns>");
            writer.WriteLine("public static " + refType + " As" + actorName + "Ref" + typeParameters + "(this " + ActorRef + " actorRef)" + constraints + " => new " + refType + "(actorRef);");
            writer.CloseBlock();
            if (shape.Namespace.Length > 0)
            {
                writer.CloseBlock();
            }
        }

        private static void WriteSpawnParameterDocs(SourceWriter writer, string receiver, string receiverDoc, bool child, bool factory)
        {
            writer.WriteLine("/// <param name=\"" + receiver + "\">" + receiverDoc + "</param>");
            if (factory)
            {
                writer.WriteLine("/// <param name=\"factory\">Creates a new actor instance on every call.</param>");
            }

            writer.WriteLine("/// <param name=\"name\">An optional unique name.</param>");
            if (!child)
            {
                writer.WriteLine("/// <param name=\"parent\">The parent; null for a root actor.</param>");
            }

            writer.WriteLine("/// <param name=\"policy\">The supervision policy; null for the default.</param>");
            writer.WriteLine("/// <param name=\"mailbox\">The mailbox options; null for an unbounded mailbox.</param>");
            writer.WriteLine("/// <returns>The typed reference.</returns>");
        }

        private static string RefTypeName(TypeShape shape, string refName)
        {
            var name = new System.Text.StringBuilder("global::");
            if (shape.Namespace.Length > 0)
            {
                name.Append(shape.Namespace).Append('.');
            }

            foreach (TypeDeclaration container in shape.ContainingTypes)
            {
                name.Append(container.Name).Append('.');
            }

            return name.Append(refName).Append(shape.Declaration.TypeParameters).ToString();
        }
    }
}
