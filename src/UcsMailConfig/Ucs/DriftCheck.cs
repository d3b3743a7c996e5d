using System.Collections.Immutable;
using System.Text;
using UcsMailConfig.Files;
using UcsMailConfig.Rendering;
using UcsMailConfig.Rendering.Derive;
using UcsMailConfig.Ucs.Layout;

namespace UcsMailConfig.Ucs;

/// <summary>
/// Drift: where the effective state of a host differs from what its installed policy means,
/// and why. Compares the files UCR generates from our <c>Type: file</c> templates with those
/// templates (their non-comment lines: UCR adds only its comment header), the policy's Postfix
/// parameters with what <c>postconf</c> reads from the live main.cf, and looks for the sources
/// that win over our fragment: /etc/postfix/main.cf.local, other main.cf.d fragments, stock
/// templates that differ from their package's original (dpkg's record). What the plan already
/// changes is not drift, and a UCR layer that wins is the plan's refusal. Runs postconf;
/// changes nothing. Host files are read as <see cref="TrustedRead"/> reads.
/// </summary>
internal static class DriftCheck
{
    private const string StockPostfixTemplates = "/" + UcrTargets.FilesDirectory + "etc/postfix/";

    /// <summary>Every drift found; null, with the command in <paramref name="failed"/>, when postconf cannot read main.cf.</summary>
    public static ImmutableArray<Drift>? Find(RenderedTree tree, RenderModel model, ApplyPlan plan, string root, ToolPaths tools, CommandRunner runner, out CommandRecord? failed)
    {
        failed = null;
        var drift = new List<Drift>();
        var changing = plan.Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var (path, file) in tree.Files.Where(f => !changing.Contains(f.Key)))
        {
            if (UcrTargets.For(path) is { } target && target != UcrTargets.MainCf && GeneratedDifference(Encoding.UTF8.GetString(file.Content), root, target.TrimStart('/')) is { } difference)
            {
                drift.Add(new Drift(DriftSource.HandEdit, target, difference, Acts: true) { RepairTarget = target });
            }
        }

        if (TrustedRead.Text(root, UcrTargets.MainCf.TrimStart('/')) is not { } mainCf)
        {
            return [.. drift];
        }

        var expected = PolicyParameters.Of(model);
        // Written by our fragment, or a milter list 70_milter writes from our variables: any other writer clashes.
        var ours = expected.Where(e => e.UcrVariable is null || e.IsMilterList).Select(e => e.Parameter).ToHashSet(StringComparer.Ordinal);
        var milterTemplate = UcrTargets.FilesDirectory + StockMilterTemplate.Subfile;
        var modified = DpkgConffiles.Modified(root, StockPostfixTemplates);
        var explained = new HashSet<string>(StringComparer.Ordinal);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        var fragments = OtherFragments(root);
        foreach (var (fragment, text) in fragments)
        {
            var source = modified.Contains("/" + fragment) ? DriftSource.ModifiedStockTemplate : DriftSource.OtherFragment;
            foreach (var name in MainCfText.Names(text).Where(ours.Contains).Distinct().Where(name => fragment != milterTemplate || !StockMilterTemplate.Parameters.Contains(name)))
            {
                drift.Add(new Drift(source, name, $"{fragment} writes it too, beside our fragment", Acts: true));
                explained.Add(name);
                reported.Add("/" + fragment);
            }
        }

        if (TrustedRead.Text(root, UcrTargets.MainCfLocal) is { } localText)
        {
            var text = new MainCfText(localText);
            foreach (var entry in expected.Where(e => text.Winning(e.Parameter) is not null))
            {
                drift.Add(new Drift(DriftSource.MainCfLocal, entry.Parameter, $"main.cf.local has '{text.Winning(entry.Parameter)!.Trim()}', the policy means '{entry.Value}'", Acts: true));
                explained.Add(entry.Parameter);
            }
        }

        foreach (var template in modified.Where(m => !reported.Contains(m)))
        {
            drift.Add(new Drift(DriftSource.ModifiedStockTemplate, template, "differs from its package's original; it writes none of the policy's parameters", Acts: false));
        }

        var fragmentChanging = changing.Contains(TemplateCatalog.OutputPath(TemplateCatalog.MainCfFragment)) || plan.Registration != RegistrationChange.None;
        var variablesChanging = plan.Variables.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        // What this apply changes anyway is not drift: our fragment, or the variables a value comes from.
        bool Changing(PolicyParameters.Expected e) => e.UcrVariable is null ? fragmentChanging
            : e.IsMilterList ? variablesChanging.Any(v => StockMilterTemplate.ParameterOf(v) == e.Parameter)
            : variablesChanging.Contains(e.UcrVariable);

        var compared = expected
            .Where(e => !explained.Contains(e.Parameter) && !Changing(e))
            .ToList();
        if (PolicyParameters.Effective(root, compared.Select(e => e.Parameter), tools, runner, out failed) is not { } effective)
        {
            return null;
        }

        var live = new MainCfText(mainCf);
        foreach (var entry in compared)
        {
            var actual = effective.GetValueOrDefault(entry.Parameter, "");
            if (!entry.IsMetBy(actual))
            {
                drift.Add(Explain(entry, actual, live, fragments, modified));
            }
        }

        return [.. drift];
    }

    private static Drift Explain(PolicyParameters.Expected entry, string actual, MainCfText live, IReadOnlyList<(string Path, string Text)> fragments, IReadOnlyList<string> modified)
    {
        // A UCR layer above base.conf with another value never gets here: the plan refuses it first.
        var detail = $"Postfix has '{actual}', the policy means '{entry.Value}'";
        // The line Postfix uses, found word for word in a fragment: that fragment wins, not a hand edit.
        if (live.Winning(entry.Parameter)?.Trim() is { } line && fragments.FirstOrDefault(f => f.Text.Split('\n').Any(l => l.Trim() == line)) is { Path: { } fragment })
        {
            var source = modified.Contains("/" + fragment) ? DriftSource.ModifiedStockTemplate : DriftSource.OtherFragment;
            return new Drift(source, entry.Parameter, $"{detail}, from {fragment}", Acts: true);
        }

        return new Drift(DriftSource.HandEdit, entry.Parameter, detail, Acts: true) { RepairTarget = UcrTargets.MainCf };
    }

    /// <summary>
    /// The main.cf.d fragments registered in any .info file other than ours, as template paths
    /// (<c>etc/univention/templates/files/etc/postfix/main.cf.d/NN_name</c>) with their text.
    /// </summary>
    private static IReadOnlyList<(string Path, string Text)> OtherFragments(string root)
    {
        var info = UcrTargets.TemplatesDirectory + "info";
        var ours = TemplateCatalog.UcrPath(TemplateCatalog.MainCfFragment);
        return [.. TrustedRead.FileNames(root, info)
            .Where(name => name.EndsWith(".info", StringComparison.Ordinal))
            .SelectMany(name => TrustedRead.Lines(root, Path.Combine(info, name)))
            .Where(l => l.StartsWith("Subfile:", StringComparison.Ordinal))
            .Select(l => l["Subfile:".Length..].Trim())
            .Where(s => s.StartsWith("etc/postfix/main.cf.d/", StringComparison.Ordinal) && s != ours)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(s => UcrTargets.FilesDirectory + s)
            .Select(p => (Path: p, Text: TrustedRead.Text(root, p)))
            .Where(f => f.Text is not null)
            .Select(f => (f.Path, f.Text!))];
    }

    /// <summary>
    /// How a file UCR generated from <paramref name="template"/> differs from it, or null when it
    /// does not. Only lines that are neither blank nor comments count: UCR's header is comments
    /// in the template's own comment syntax.
    /// </summary>
    internal static string? GeneratedDifference(string template, string root, string generated)
    {
        if (TrustedRead.Text(root, generated) is not { } generatedText)
        {
            return "missing; ucr commit writes it";
        }

        // UCR's header comments every line with the prefix the template names (# or //).
        var mark = System.Text.RegularExpressions.Regex.Match(template, "@%@UCRWARNING=(.*?)@%@") is { Success: true } warning && warning.Groups[1].Value.Trim() is { Length: > 0 } prefix ? prefix : "#";
        var want = Meaningful(template, mark);
        var have = Meaningful(generatedText, mark);
        for (var i = 0; i < Math.Max(want.Count, have.Count); i++)
        {
            if (i >= have.Count)
            {
                return $"the template's line '{want[i].Text}' is missing";
            }

            if (i >= want.Count || want[i].Text != have[i].Text)
            {
                return $"line {have[i].Number}, '{have[i].Text}', is not from the template";
            }
        }

        return null;
    }

    private static List<(int Number, string Text)> Meaningful(string text, string commentMark) =>
        [.. text.Split('\n').Select((line, index) => (index + 1, line.TrimEnd('\r')))
            .Where(l => l.Item2.Trim().Length > 0 && !l.Item2.TrimStart().StartsWith(commentMark, StringComparison.Ordinal) && !l.Item2.Contains("@%@UCRWARNING=", StringComparison.Ordinal))];
}
