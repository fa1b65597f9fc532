using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;

namespace Papyra.Generators.Common
{
    /// <summary>
    /// An immutable array compared by its elements, so that generator models holding lists stay
    /// value-equatable and the incremental pipeline can cache them.
    /// </summary>
    /// <typeparam name="T">The element type; itself value-equatable.</typeparam>
    internal readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IReadOnlyList<T>
        where T : IEquatable<T>
    {
        private readonly T[]? _items;

        /// <summary>Wraps the given elements (the caller gives up ownership of the array).</summary>
        /// <param name="items">The elements.</param>
        public EquatableArray(T[] items) => _items = items;

        /// <summary>An empty array.</summary>
        public static EquatableArray<T> Empty => new EquatableArray<T>(Array.Empty<T>());

        /// <inheritdoc/>
        public int Count => _items?.Length ?? 0;

        /// <inheritdoc/>
        public T this[int index] => (_items ?? Array.Empty<T>())[index];

        /// <summary>Builds an array from a sequence.</summary>
        /// <param name="items">The elements.</param>
        /// <returns>The array.</returns>
        public static EquatableArray<T> From(IEnumerable<T> items) => new EquatableArray<T>(System.Linq.Enumerable.ToArray(items));

        /// <summary>Builds an array from an immutable array.</summary>
        /// <param name="items">The elements.</param>
        /// <returns>The array.</returns>
        public static EquatableArray<T> From(ImmutableArray<T> items) => new EquatableArray<T>(items.IsDefault ? Array.Empty<T>() : System.Linq.Enumerable.ToArray(items));

        /// <inheritdoc/>
        public bool Equals(EquatableArray<T> other)
        {
            T[] left = _items ?? Array.Empty<T>();
            T[] right = other._items ?? Array.Empty<T>();
            if (left.Length != right.Length)
            {
                return false;
            }

            for (int i = 0; i < left.Length; i++)
            {
                if (!EqualityComparer<T>.Default.Equals(left[i], right[i]))
                {
                    return false;
                }
            }

            return true;
        }

        /// <inheritdoc/>
        public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

        /// <inheritdoc/>
        public override int GetHashCode()
        {
            int hash = 17;
            foreach (T item in _items ?? Array.Empty<T>())
            {
                hash = unchecked((hash * 31) + (item is null ? 0 : item.GetHashCode()));
            }

            return hash;
        }

        /// <inheritdoc/>
        public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)(_items ?? Array.Empty<T>())).GetEnumerator();

        /// <inheritdoc/>
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        /// <summary>Element-wise equality.</summary>
        /// <param name="left">The left array.</param>
        /// <param name="right">The right array.</param>
        /// <returns>True when equal.</returns>
        public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);

        /// <summary>Element-wise inequality.</summary>
        /// <param name="left">The left array.</param>
        /// <param name="right">The right array.</param>
        /// <returns>True when different.</returns>
        public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);
    }
}
