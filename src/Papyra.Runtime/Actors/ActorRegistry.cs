namespace Papyra.Actors;

/// <summary>
/// The cells of a system's actors by id, from spawn until they have finished stopping. Striped by
/// id: each stripe is a small table with its own lock, so a spawn and the stops running on the
/// thread pool rarely meet on one lock, and no table grows onto the large-object heap (one table
/// of 100,000 actors did, and the gen-2 collections its resizes triggered stalled every thread).
/// </summary>
/// <remarks>
/// A cell stays here until it has finished stopping (after its <see cref="ActorStopped"/> is
/// emitted), so a shutdown that finds it waits for it: its last events and dead letters reach the
/// store before the store is closed. Queries that describe the running system skip cells that
/// are already <see cref="ActorCell.Stopped"/>, as if they were gone.
/// </remarks>
internal sealed class ActorRegistry
{
    private const int StripeCount = 64;

    private readonly Stripe[] _stripes;

    public ActorRegistry()
    {
        _stripes = new Stripe[StripeCount];
        for (int i = 0; i < StripeCount; i++)
        {
            _stripes[i] = new Stripe();
        }
    }

    public void Add(ActorCell cell)
    {
        Stripe stripe = StripeFor(cell.Address.Id);
        lock (stripe.Gate)
        {
            stripe.Cells.Add(cell.Address.Id, cell);
        }
    }

    public void Remove(ActorCell cell)
    {
        Stripe stripe = StripeFor(cell.Address.Id);
        lock (stripe.Gate)
        {
            stripe.Cells.Remove(cell.Address.Id);
        }
    }

    /// <summary>Finds a cell that has not finished stopping (it may be <see cref="ActorCell.Stopped"/>).</summary>
    public bool TryGet(long id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ActorCell? cell)
    {
        Stripe stripe = StripeFor(id);
        lock (stripe.Gate)
        {
            return stripe.Cells.TryGetValue(id, out cell);
        }
    }

    /// <summary>Copies the cells, in id (spawn) order.</summary>
    /// <param name="includeStopped">Include cells that have stopped but not yet finished (the shutdown waits for those).</param>
    public List<ActorCell> Snapshot(bool includeStopped)
    {
        var cells = new List<ActorCell>();
        foreach (Stripe stripe in _stripes)
        {
            lock (stripe.Gate)
            {
                foreach (ActorCell cell in stripe.Cells.Values)
                {
                    if (includeStopped || cell.Lifecycle != ActorCell.Stopped)
                    {
                        cells.Add(cell);
                    }
                }
            }
        }

        cells.Sort(static (a, b) => a.Address.Id.CompareTo(b.Address.Id));
        return cells;
    }

    /// <summary>Sums the mailbox depth and counts the alive actors, stripe by stripe.</summary>
    public (long Depth, long Alive) Measure()
    {
        long depth = 0, alive = 0;
        foreach (Stripe stripe in _stripes)
        {
            lock (stripe.Gate)
            {
                foreach (ActorCell cell in stripe.Cells.Values)
                {
                    if (cell.Lifecycle == ActorCell.Stopped)
                    {
                        continue;
                    }

                    depth += cell.MailboxDepth;
                    if (cell.IsAlive)
                    {
                        alive++;
                    }
                }
            }
        }

        return (depth, alive);
    }

    private Stripe StripeFor(long id) => _stripes[(int)(id & (StripeCount - 1))];

    private sealed class Stripe
    {
        public readonly Lock Gate = new();
        public readonly Dictionary<long, ActorCell> Cells = [];
    }
}
