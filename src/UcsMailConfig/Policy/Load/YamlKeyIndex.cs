using UcsMailConfig.Diagnostics;

namespace UcsMailConfig.Policy.Load;

/// <summary>
/// The duplicate-key check of one mapping being built: where a key was first defined. Nearly all
/// mappings hold a few keys and are scanned; a dictionary per mapping would be most of the tree's
/// allocations for a policy with thousands of domains. From <see cref="IndexedMappingSize"/> keys
/// on (e.g. 'domains') the mapping gets a dictionary, so 100,000 keys stay linear.
/// </summary>
internal struct YamlKeyIndex
{
    private const int IndexedMappingSize = 16;

    private Dictionary<string, SourcePosition>? _index;

    /// <summary>Adds the entry and returns null, or returns where its key was first defined and adds nothing.</summary>
    public SourcePosition? Add(List<YamlEntry> entries, YamlEntry entry)
    {
        var key = entry.Key.Value;
        if (_index is not null)
        {
            if (!_index.TryAdd(key, entry.Key.Start))
            {
                return _index[key];
            }
        }
        else
        {
            foreach (var existing in entries)
            {
                if (existing.Key.Value == key)
                {
                    return existing.Key.Start;
                }
            }

            if (entries.Count + 1 == IndexedMappingSize)
            {
                _index = new Dictionary<string, SourcePosition>(StringComparer.Ordinal);
                foreach (var existing in entries)
                {
                    _index.Add(existing.Key.Value, existing.Key.Start);
                }

                _index.Add(key, entry.Key.Start);
            }
        }

        entries.Add(entry);
        return null;
    }
}
