using UcsMailConfig.Dkim;
using UcsMailConfig.Dns;
using UcsMailConfig.Policy.Model;
using UcsMailConfig.Rendering;

namespace UcsMailConfig.Ucs;

/// <summary>
/// What must hold before OpenDKIM signs with a selector: its private key exists (created
/// here only when asked, never over an existing file), and receivers can find its public key
/// in DNS. A selector that becomes active (it is not in the installed KeyTable yet) is refused
/// until a DNS lookup shows its record, unless the admin explicitly overrides that (then
/// nothing is looked up).
/// </summary>
public static class DkimReadiness
{
    /// <summary>Creates missing keys if asked (not in check mode), then reads every public key there is.</summary>
    public static DkimPublicKeys PrepareKeys(MailPolicy policy, string root, ApplyOptions options, ICollection<string> notes)
    {
        if (options.GenerateKeys && !options.CheckOnly)
        {
            foreach (var key in DkimKeyStore.EnsureKeys(policy, root))
            {
                notes.Add($"created the DKIM key {key.KeyPath} for {DnsRecordDeriver.DkimName(key.Domain, key.Selector)}; publish its record (ucs-mail-config dns)");
            }
        }

        var reading = DkimKeyStore.ReadPublicKeys(policy, root);
        foreach (var finding in reading.Diagnostics)
        {
            notes.Add(finding.Format(options.PolicyName));
        }

        return reading.Keys;
    }

    /// <summary>Adds an error for each active selector that must not sign yet; true when there is none.</summary>
    public static bool CheckActivation(RenderModel model, string root, ApplyOptions options, ICollection<string> errors, ICollection<string> notes)
    {
        var ok = true;
        var installed = InstalledKeyNames(root);
        DnsChecker? dns = null;
        foreach (var row in model.OpenDkim?.KeyTable ?? [])
        {
            if (!File.Exists(DkimKeyStore.PathUnder(root, row.KeyPath)))
            {
                if (options.CheckOnly && options.GenerateKeys)
                {
                    notes.Add($"apply would create the key {row.KeyPath} of selector {row.Selector} of {row.Domain}");
                    continue;
                }

                errors.Add($"selector {row.Selector} of {row.Domain} is active but its key file {row.KeyPath} does not exist; create it with 'ucs-mail-config dkim keygen' or 'apply --generate-keys'");
                ok = false;
                continue;
            }

            if (installed.Contains(row.KeyName))
            {
                continue;
            }

            if (options.ActivateWithoutDns)
            {
                // The override means no lookup at all: a host that cannot reach DNS (or must not) still applies.
                notes.Add($"WARNING: selector {row.Selector} of {row.Domain} becomes active without a DNS check (--activate-without-dns); receivers will fail its signatures until the record {row.KeyName} with its key is published (ucs-mail-config dns)");
                continue;
            }

            var record = model.DnsRecords.FirstOrDefault(r => r.Kind == DnsRecordKind.Dkim && r.Name == row.KeyName);
            dns ??= new DnsChecker(options.DnsServer, DnsChecker.DefaultTimeout);
            if (record is not null && dns.IsVisible(record))
            {
                continue;
            }

            var where = options.DnsServer is null ? "the system's resolvers" : $"the DNS server {options.DnsServer}";
            errors.Add($"selector {row.Selector} of {row.Domain} would start signing, but {where} shows no record {row.KeyName} with its key; publish it (ucs-mail-config dns), check it (ucs-mail-config dns check), or keep the selector pending; --activate-without-dns overrides");
            ok = false;
        }

        return ok;
    }

    private static HashSet<string> InstalledKeyNames(string root)
    {
        var keyTable = Path.Combine(root, TemplateCatalog.OutputPath(TemplateCatalog.KeyTable));
        return File.Exists(keyTable)
            ? [.. File.ReadLines(keyTable).Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith('@')).Select(l => l.Split(' ')[0])]
            : [];
    }
}
