// Contract: for a Postfix parameter, which line of which source sets the value main.cf ends
// with, and what kind of source that is: a UCR variable (with its layer file and line, or UCS's
// default), ucs-mail-config's own fragment, a stock template as shipped or hand-edited (dpkg's
// conffile record), another fragment, main.cf.local (through 99_local), or a hand edit of the
// generated main.cf. Reads only; the fragment order is UCR's (registered subfiles, base-name order).
using UcsMailConfig.Files;
using UcsMailConfig.Rendering;
using UcsMailConfig.Ucs.Layout;

namespace UcsMailConfig.Ucs.Import;

internal sealed class MainCfSources
{
    public const string HandEditedStock = "hand edit of a stock template";
    public const string MainCfLocalKind = "main.cf.local, appended by 99_local";

    private readonly string _root;
    private readonly UcrLayers _layers;
    private readonly List<(string File, string Kind, IReadOnlyList<(string Name, int Line, string Value)> Settings, string[] Lines)> _sources = [];
    private readonly IReadOnlyList<(string Name, int Line, string Value)> _mainCf;

    public MainCfSources(string root, UcrLayers layers)
    {
        _root = root;
        _layers = layers;
        const string prefix = "/" + UcrTargets.FilesDirectory + "etc/postfix/";
        Modified = DpkgConffiles.Modified(root, prefix);
        var ours = TemplateCatalog.UcrPath(TemplateCatalog.MainCfFragment);
        foreach (var subfile in RegisteredFragments(root))
        {
            var template = UcrTargets.FilesDirectory + subfile;
            if (Path.GetFileName(subfile) == UcrTargets.LocalFragment && TrustedRead.Exists(root, UcrTargets.MainCfLocal))
            {
                Add(UcrTargets.MainCfLocal, MainCfLocalKind);
            }
            else if (TrustedRead.Exists(root, template))
            {
                var kind = subfile == ours ? "ucs-mail-config's fragment"
                    : Modified.Contains("/" + template) ? HandEditedStock
                    : DpkgConffiles.PackageOf(root, "/" + template) is { } package ? $"stock template of {package}"
                    : "another main.cf.d fragment";
                Add(template, kind);
            }
        }

        Recorded = TrustedRead.Lines(root, TemplateCatalog.OutputPath(TemplateCatalog.UcrVariables))
            .Where(l => !l.StartsWith('#') && l.Contains('=', StringComparison.Ordinal))
            .Select(l => l[..l.IndexOf('=', StringComparison.Ordinal)])
            .ToHashSet(StringComparer.Ordinal);
        _mainCf = TrustedRead.Text(root, UcrTargets.MainCf.TrimStart('/')) is { } mainCf ? MainCfText.Settings(mainCf) : [];
    }

    /// <summary>Stock Postfix templates that differ from their package's original, as absolute template paths.</summary>
    public IReadOnlyList<string> Modified { get; }

    /// <summary>The UCR variables an earlier ucs-mail-config policy set (its recorded var/lib/ucs-mail-config/ucr-variables).</summary>
    public IReadOnlySet<string> Recorded { get; }

    /// <summary>A value UCS writes by default from its own variable, which no earlier policy set: UCS's, not a policy's.</summary>
    public bool IsUcsDefault(StockUcsParameters.Entry entry, string value, ImportSource source) =>
        entry.Effective(null)?.IsMetBy(value) == true && entry.UcrVariable is { } variable && !Recorded.Contains(variable)
        && (source.Kind.StartsWith("UCR variable", StringComparison.Ordinal) || source.Kind.StartsWith("UCS's default", StringComparison.Ordinal));

    /// <summary>The settings of one kind of source, each with its file and line (e.g. every line of main.cf.local).</summary>
    public IEnumerable<(string File, string Name, int Line, string Value)> SettingsOf(string kind) =>
        _sources.Where(s => s.Kind == kind).SelectMany(s => s.Settings.Select(x => (s.File, x.Name, x.Line, x.Value)));

    /// <summary>Where the value Postfix uses for <paramref name="parameter"/> comes from; a UCR-derived line names its variable.</summary>
    public ImportSource Of(string parameter)
    {
        var winner = _sources.Select(s => (s.File, s.Kind, s.Lines, Setting: s.Settings.LastOrDefault(x => x.Name == parameter)))
            .LastOrDefault(s => s.Setting.Name is not null);
        if (winner.File is null)
        {
            return _mainCf.LastOrDefault(x => x.Name == parameter) is { Name: not null } edited
                ? new ImportSource(UcrTargets.MainCf, edited.Line, "hand edit of the generated main.cf; the next ucr commit drops it")
                : new ImportSource(null, 0, "Postfix's default");
        }

        var line = winner.Lines[winner.Setting.Line - 1];
        var fromUcr = line.Contains("@%@", StringComparison.Ordinal) || InPythonBlock(winner.Lines, winner.Setting.Line);
        if (fromUcr && StockUcsParameters.Find(parameter)?.UcrVariable is { } variable)
        {
            return Variable(variable, new ImportSource(winner.File, winner.Setting.Line, $"UCS's default for the unset UCR variable {variable}"));
        }

        return new ImportSource(winner.File, winner.Setting.Line, winner.Kind);
    }

    /// <summary>The layer file and line that hold a UCR variable, or <paramref name="unset"/>.</summary>
    public ImportSource Variable(string name, ImportSource unset) =>
        _layers.Effective(name) is { } effective
            ? new ImportSource("/" + UcrLayers.FileOf(effective.Layer), _layers.LineOf(effective.Layer, name), $"UCR variable {name}, {effective.Layer.ToString().ToLowerInvariant()} layer")
            : unset;

    private void Add(string relative, string kind)
    {
        var text = TrustedRead.Text(_root, relative) ?? "";
        _sources.Add(("/" + relative, kind, MainCfText.Settings(text), text.Split('\n')));
    }

    private static bool InPythonBlock(string[] lines, int line) => lines.Take(line - 1).Count(l => l.Contains("@!@", StringComparison.Ordinal)) % 2 == 1;

    private static IEnumerable<string> RegisteredFragments(string root)
    {
        var info = Path.Combine(UcrTargets.TemplatesDirectory, "info");
        return TrustedRead.FileNames(root, info)
                .Where(name => name.EndsWith(".info", StringComparison.Ordinal))
                .SelectMany(name => TrustedRead.Lines(root, Path.Combine(info, name)))
                .Where(l => l.StartsWith("Subfile:", StringComparison.Ordinal))
                .Select(l => l["Subfile:".Length..].Trim())
                .Where(s => s.StartsWith("etc/postfix/main.cf.d/", StringComparison.Ordinal))
                .Distinct(StringComparer.Ordinal)
                .OrderBy(Path.GetFileName, StringComparer.Ordinal);
    }
}
