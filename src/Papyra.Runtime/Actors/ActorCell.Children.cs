using System.Globalization;
using Microsoft.Extensions.Logging;
using Papyra.Dispatch;
using Papyra.Mailboxes;

namespace Papyra.Actors;

/// <summary>The actor cell's children, guarded by the registry lock.</summary>
internal sealed partial class ActorCell
{
    public void AddChildLocked(ActorCell child) => (State.Children ??= []).Add(child);

    public List<ActorCell> ChildrenSnapshotLocked()
    {
        HashSet<ActorCell>? children = _state?.Children;
        if (children is null || children.Count == 0)
        {
            return [];
        }

        var list = new List<ActorCell>(children);
        list.Sort(static (a, b) => a.Address.Id.CompareTo(b.Address.Id));
        return list;
    }
}
