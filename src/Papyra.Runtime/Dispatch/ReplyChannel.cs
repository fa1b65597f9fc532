namespace Papyra.Dispatch;

/// <summary>
/// Where an actor's reply to an ask goes. The actor side calls exactly one of
/// <see cref="Complete(object?)"/> or <see cref="Fail(Exception)"/> per message; a channel whose
/// asker already gave up (timeout, cancellation) drops the reply and counts it.
/// </summary>
internal abstract class ReplyChannel
{
    /// <summary>Delivers the handler's result.</summary>
    /// <param name="result">The result.</param>
    public abstract void Complete(object? result);

    /// <summary>Delivers the handler's exception (or why the message was not processed).</summary>
    /// <param name="exception">The exception.</param>
    public abstract void Fail(Exception exception);
}
