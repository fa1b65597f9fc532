namespace Papyra.Actors;

/// <summary>
/// The cells of a system's actors by id, from spawn until they have finished stopping: pages of
/// <see cref="PageSize"/> consecutive ids. Registering and forgetting a cell write its slot in its
/// page without a lock, so spawning and the stops running on the thread pool never queue behind
/// each other (a dictionary under one lock did, badly when the holder was preempted; one dictionary
/// of 100,000 actors also grew onto the large-object heap, whose collections stalled every thread).
/// The directory of pages is locked only when a page is created or dropped, once per
/// <see cref="PageSize"/> ids.
/// </summary>
/// <remarks>
/// <para>A page is dropped once every id in it has finished (or was never used: its spawn failed),
/// so memory follows the live actors: a page is about 9 bytes an actor when full, and at most one
/// page (about 300 bytes) for an actor outliving the others of its page.</para>
/// <para>A cell stays here until it has finished stopping (after its <see cref="ActorStopped"/> is
/// emitted), so a shutdown that finds it waits for it: its last events and dead letters reach the
/// store before the store is closed. Queries that describe the running system skip cells that are
/// already <see cref="ActorCell.Stopped"/>, as if they were gone.</para>
/// </remarks>
internal sealed class ActorRegistry
{
    public const int PageSize = 32;
    private const int PageShift = 5;

    private readonly Lock _gate = new();
    private readonly Dictionary<long, Page> _pages = [];
    private Page? _latest;

    /// <summary>Registers a cell under its id. Its slot is written with a full fence after it.</summary>
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Add(ActorCell cell)
    {
        long id = cell.Address.Id;
        Page page = PageFor(id);
        cell.RegistryPage = page;
        Interlocked.Exchange(ref page.Slots[(int)(id & (PageSize - 1))], cell);
    }

    /// <summary>Forgets a cell that has finished stopping.</summary>
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Remove(ActorCell cell)
    {
        Page? page = cell.RegistryPage;
        if (page is null)
        {
            return;
        }

        cell.RegistryPage = null;
        Volatile.Write(ref page.Slots[(int)(cell.Address.Id & (PageSize - 1))], null);
        Release(page);
    }

    /// <summary>An id was taken but no cell was registered under it (the spawn failed).</summary>
    public void Abandon(long id) => Release(PageFor(id));

    /// <summary>Finds a cell that has not finished stopping (it may be <see cref="ActorCell.Stopped"/>).</summary>
    public bool TryGet(long id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ActorCell? cell)
    {
        Page? page;
        lock (_gate)
        {
            _pages.TryGetValue(id >> PageShift, out page);
        }

        cell = page is null ? null : Volatile.Read(ref page.Slots[(int)(id & (PageSize - 1))]);
        return cell is not null;
    }

    /// <summary>Copies the cells, in id (spawn) order.</summary>
    /// <param name="includeStopped">Include cells that have stopped but not yet finished (the shutdown waits for those).</param>
    public List<ActorCell> Snapshot(bool includeStopped)
    {
        var cells = new List<ActorCell>();
        foreach (Page page in Pages())
        {
            for (int i = 0; i < PageSize; i++)
            {
                ActorCell? cell = Volatile.Read(ref page.Slots[i]);
                if (cell is not null && (includeStopped || cell.Lifecycle != ActorCell.Stopped))
                {
                    cells.Add(cell);
                }
            }
        }

        return cells;
    }

    /// <summary>Sums the mailbox depth and counts the alive actors.</summary>
    public (long Depth, long Alive) Measure()
    {
        long depth = 0, alive = 0;
        foreach (Page page in Pages())
        {
            for (int i = 0; i < PageSize; i++)
            {
                ActorCell? cell = Volatile.Read(ref page.Slots[i]);
                if (cell is null || cell.Lifecycle == ActorCell.Stopped)
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

        return (depth, alive);
    }

    private List<Page> Pages()
    {
        List<Page> pages;
        lock (_gate)
        {
            pages = new List<Page>(_pages.Values);
        }

        pages.Sort(static (a, b) => a.Index.CompareTo(b.Index));
        return pages;
    }

    private Page PageFor(long id)
    {
        long index = id >> PageShift;
        Page? latest = Volatile.Read(ref _latest);
        if (latest is not null && latest.Index == index)
        {
            return latest;
        }

        lock (_gate)
        {
            if (!_pages.TryGetValue(index, out Page? page))
            {
                // Every id of a page is used once (ids are never reused), so a page is created
                // once and dropped once, when its last id is released.
                page = new Page(index);
                _pages.Add(index, page);
            }

            if (_latest is null || index > _latest.Index)
            {
                Volatile.Write(ref _latest, page);
            }

            return page;
        }
    }

    private void Release(Page page)
    {
        if (Interlocked.Decrement(ref page.Pending) != 0)
        {
            return;
        }

        lock (_gate)
        {
            _pages.Remove(page.Index);
            if (ReferenceEquals(_latest, page))
            {
                _latest = null;
            }
        }
    }

    /// <summary>The slots of <see cref="PageSize"/> consecutive ids.</summary>
    internal sealed class Page(long index)
    {
        public readonly long Index = index;
        public readonly ActorCell?[] Slots = new ActorCell?[PageSize];

        /// <summary>The ids of this page not yet released: every id counts until its actor has finished stopping or its spawn failed (id 0 is never used).</summary>
        public int Pending = index == 0 ? PageSize - 1 : PageSize;
    }
}
