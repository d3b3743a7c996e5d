using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;

namespace UcsMailConfig.Rendering;

/// <summary>
/// One model row as a read-only Scriban object whose members are read from the row when a
/// template asks. A <see cref="ScriptObject"/> per row costs a dictionary each: tens of
/// megabytes at 10,000 domains, all alive until the last template is done.
/// </summary>
internal sealed class ScriptRow<T>(T row, ScriptRow<T>.Member[] members) : IScriptObject
{
    public readonly record struct Member(string Name, Func<T, object> Read);

    public int Count => members.Length;

    public bool IsReadOnly
    {
        get => true;
        set { }
    }

    public IEnumerable<string> GetMembers() => members.Select(m => m.Name);

    public bool Contains(string member) => Array.FindIndex(members, m => m.Name == member) >= 0;

    public bool TryGetValue(TemplateContext? context, SourceSpan span, string member, out object? value)
    {
        foreach (var candidate in members)
        {
            if (candidate.Name == member)
            {
                value = candidate.Read(row);
                return true;
            }
        }

        value = null;
        return false;
    }

    public bool CanWrite(string member) => false;

    public bool TrySetValue(TemplateContext? context, SourceSpan span, string member, object? value, bool readOnly) => false;

    public bool Remove(string member) => false;

    public void SetReadOnly(string member, bool readOnly)
    {
    }

    public IScriptObject Clone(bool deep) => this;
}
