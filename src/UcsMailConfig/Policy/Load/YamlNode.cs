using UcsMailConfig.Diagnostics;
namespace UcsMailConfig.Policy.Load;

/// <summary>
/// The policy file as a tree of positioned YAML nodes. Scalars keep their text: the policy
/// decides what a value means, not YAML's type resolution (so <c>03122017</c> stays a string).
/// </summary>
internal abstract record YamlNode(SourcePosition Start)
{
    public abstract string KindName { get; }
}

internal sealed record YamlScalar(SourcePosition Start, string Value, bool IsPlain) : YamlNode(Start)
{
    /// <summary>A plain empty scalar, <c>~</c> or <c>null</c>: YAML's "no value".</summary>
    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string KindName => IsNull ? "nothing (null)" : "a single value";
}

internal sealed record YamlEntry(YamlScalar Key, YamlNode Value);

internal sealed record YamlMapping(SourcePosition Start, IReadOnlyList<YamlEntry> Entries) : YamlNode(Start)
{
    public override string KindName => "a mapping (key: value)";

    // A plain loop: the checks look up several keys of every domain, so a closure and an
    // enumerator per lookup add up to tens of megabytes for a large policy.
    public YamlEntry? Find(string key)
    {
        for (var i = 0; i < Entries.Count; i++)
        {
            if (Entries[i].Key.Value == key)
            {
                return Entries[i];
            }
        }

        return null;
    }

    public YamlNode? this[string key] => Find(key)?.Value;
}

internal sealed record YamlSequence(SourcePosition Start, IReadOnlyList<YamlNode> Items) : YamlNode(Start)
{
    public override string KindName => "a list";
}

/// <summary>A node that was already reported as unusable (an alias, too deep); checks skip it silently.</summary>
internal sealed record YamlRejected(SourcePosition Start) : YamlNode(Start)
{
    public override string KindName => "a rejected value";
}
