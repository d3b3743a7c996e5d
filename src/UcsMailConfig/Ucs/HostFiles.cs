using UcsMailConfig.Rendering;
using UcsMailConfig.Ucs.Layout;

namespace UcsMailConfig.Ucs;

/// <summary>
/// The files the tool writes and reads on a host, for its manual page: each path comes from
/// the type that owns it (the template catalog, the state, the journal, the lock, the audit
/// log), relative to the root without a leading slash.
/// </summary>
public static class HostFiles
{
    /// <summary>One file or folder on the host and what it is.</summary>
    public sealed record Entry(string RelativePath, string What);

    /// <summary>Our UCR templates and registration (rendered, written by apply), in the catalog's order.</summary>
    public static IEnumerable<string> Templates =>
        TemplateCatalog.All.Select(TemplateCatalog.OutputPath).Where(path => path.StartsWith(UcrTargets.TemplatesDirectory, StringComparison.Ordinal));

    /// <summary>The tool's own state, journal, lock and log.</summary>
    public static IReadOnlyList<Entry> Own { get; } =
    [
        new(StateFiles.Directory, "the tool's own folder (root's, 0700)"),
        new(ApplyState.RelativePath, "what the last apply owned: files and UCR variables, so that what the policy no longer produces is removed"),
        new(TemplateCatalog.OutputPath(TemplateCatalog.UcrVariables), "the UCR variables the installed policy sets"),
        new(TemplateCatalog.OutputPath(TemplateCatalog.DnsZone), "the installed policy's DNS records, in zone-file form"),
        new(TemplateCatalog.OutputPath(TemplateCatalog.DnsPlain), "the same records, one line each, for a provider's web form"),
        new(ApplyJournal.RelativeDirectory + "/", "an apply's journal: copies of every file it may change and the old UCR values; an interrupted apply is put back from it by the next one"),
        new(ApplyLock.RelativePath, "the lock that allows one apply per host"),
        new(ApplyLock.HolderRelativePath, "the lock holder's pid and start time"),
        new(AuditLog.RelativePath, "one line per apply that did something: time, outcome, policy path and SHA-256; status reads the installed policy from it"),
    ];
}
