using UcsMailConfig.Files;
using UcsMailConfig.Rendering;
using UcsMailConfig.Ucs.Layout;

namespace UcsMailConfig.Ucs;

/// <summary>
/// Reads (never changes) how a host handles UCS's milter variables: which parameters the stock
/// <c>main.cf.d/70_milter</c> writes there, and the milter variables that others set. The
/// decision is the host's, taken at apply time, so that <c>render</c> stays host-independent.
/// A 70_milter counts only when a .info registers it as a subfile (UCR ignores it otherwise);
/// it writes a parameter when its text reads that parameter's variables
/// (<c>mail/postfix/PARAMETER/</c>): the UCS 5 version (00d4d6e9) reads only smtpd_milters'.
/// The .info files and the template are read as <see cref="TrustedRead"/> reads.
/// </summary>
internal static class MilterHost
{
    private const string InfoDirectory = UcrTargets.TemplatesDirectory + "info";
    private const string TemplateFiles = UcrTargets.FilesDirectory;

    public static StockMilterTemplate Template(string root)
    {
        if (!IsRegistered(root) || TrustedRead.Text(root, TemplateFiles + StockMilterTemplate.Subfile) is not { } text)
        {
            return StockMilterTemplate.None;
        }

        bool Reads(string parameter) => text.Contains(StockMilterTemplate.VariablePrefix(parameter), StringComparison.Ordinal);
        return new StockMilterTemplate(Reads(StockMilterTemplate.SmtpdMilters), Reads(StockMilterTemplate.NonSmtpdMilters));
    }

    /// <summary>
    /// The milter variables UCS or an admin set, which apply keeps (it never unsets a variable
    /// it did not set): one note each, saying whether Postfix runs the milter beside ours.
    /// </summary>
    public static IEnumerable<string> ForeignMilters(IReadOnlyDictionary<string, string> registry, StockMilterTemplate template) =>
        registry
            .Where(v => StockMilterTemplate.IsMilterVariable(v.Key) && !StockMilterTemplate.IsOurs(v.Key))
            .OrderBy(v => v.Key, StringComparer.Ordinal)
            .Select(v => template.Writes(StockMilterTemplate.ParameterOf(v.Key)!)
                ? $"kept the milter variable {v.Key}={v.Value} that UCS or an admin set; Postfix runs it beside the policy's milters, in key order"
                : $"kept the milter variable {v.Key}={v.Value} that UCS or an admin set; it has no effect: this host's 70_milter does not write {StockMilterTemplate.ParameterOf(v.Key)}");

    private static bool IsRegistered(string root)
    {
        // A subfile stanza may sit in any package's .info; the path is enough to name it.
        var line = "Subfile: " + StockMilterTemplate.Subfile;
        return TrustedRead.FileNames(root, InfoDirectory)
            .Where(name => name.EndsWith(".info", StringComparison.Ordinal))
            .Any(info => TrustedRead.Lines(root, Path.Combine(InfoDirectory, info)).Any(l => l.Trim() == line));
    }
}
