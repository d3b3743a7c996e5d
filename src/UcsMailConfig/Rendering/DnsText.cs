using System.Collections.Immutable;
using UcsMailConfig.Dns;
using UcsMailConfig.Policy.Values;

namespace UcsMailConfig.Rendering;

/// <summary>
/// The two printed forms of DNS records, from the same templates that <c>render</c> writes to
/// <c>var/lib/ucs-mail-config/dns/</c>: <see cref="Zone"/> for a BIND zone file (quoted strings
/// of at most 255 bytes) and <see cref="Plain"/> for a provider's web form (one line per record,
/// no quotes). Each starts with a header that names its form, so the two cannot be mixed up.
/// </summary>
public static class DnsText
{
    /// <summary>The zone form; with <paramref name="zone"/> (every record of that domain), names are relative to it, '@' for its apex.</summary>
    public static string Zone(ImmutableArray<DnsRecord> records, DomainName? zone = null) =>
        TreeRenderer.RenderText(TemplateCatalog.DnsZone, ScriptGlobals.ForDnsRecords(records, zone));

    public static string Plain(ImmutableArray<DnsRecord> records) =>
        TreeRenderer.RenderText(TemplateCatalog.DnsPlain, ScriptGlobals.ForDnsRecords(records));
}
