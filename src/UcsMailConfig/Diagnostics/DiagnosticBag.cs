namespace UcsMailConfig.Diagnostics;

/// <summary>Collects every finding of one run, so that all of them are reported at once.</summary>
internal sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];

    public bool HasErrors { get; private set; }

    public void Error(DiagnosticCode code, SourcePosition at, string message)
    {
        _items.Add(new Diagnostic(Severity.Error, code, at, message));
        HasErrors = true;
    }

    public void Warning(DiagnosticCode code, SourcePosition at, string message) =>
        _items.Add(new Diagnostic(Severity.Warning, code, at, message));

    /// <summary>Takes over another bag's findings, after this one's.</summary>
    public void AddRange(DiagnosticBag other)
    {
        _items.AddRange(other._items);
        HasErrors |= other.HasErrors;
    }

    /// <summary>In file order, so that the output reads top to bottom.</summary>
    public IReadOnlyList<Diagnostic> ToSortedList() =>
        _items.OrderBy(d => d.Position.Line).ThenBy(d => d.Position.Column).ThenBy(d => d.Code.Id, StringComparer.Ordinal).ToList();
}
