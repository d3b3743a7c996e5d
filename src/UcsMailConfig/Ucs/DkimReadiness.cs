using UcsMailConfig.Diagnostics;
using UcsMailConfig.Dkim;
using UcsMailConfig.Dns;
using UcsMailConfig.Files;
using UcsMailConfig.Policy.Model;
using UcsMailConfig.Rendering;
using UcsMailConfig.Rendering.Derive;

namespace UcsMailConfig.Ucs;

/// <summary>
/// What must hold before OpenDKIM signs with a selector: its private key exists (created
/// here only when asked, never over an existing file), and receivers can find its public key
/// in DNS. A selector that becomes active (it is not in the installed KeyTable yet) is refused
/// until a DNS lookup shows its record, unless the admin explicitly overrides that (then
/// nothing is looked up).
/// </summary>
internal static class DkimReadiness
{
    /// <summary>
    /// Creates missing keys if asked (not in check mode), then reads every public key there is;
    /// null, with the error added, when a key cannot be created (a key folder is unsafe, the disk is full).
    /// </summary>
    public static PublicKeyReading? PrepareKeys(MailPolicy policy, string root, ApplyOptions options, ICollection<string> errors, ICollection<string> notes)
    {
        if (options.GenerateKeys && !options.CheckOnly)
        {
            try
            {
                foreach (var key in DkimKeyStore.EnsureKeys(policy, root))
                {
                    notes.Add($"created the DKIM key {key.KeyPath} for {key.Domain.DkimRecordName(key.Selector)}; publish its record (ucs-mail-config dns)");
                }
            }
            catch (DkimKeyException e)
            {
                errors.Add(e.Message);
                return null;
            }
        }

        return DkimKeyStore.ReadPublicKeys(policy, root);
    }

    /// <summary>
    /// Adds an error for each active selector that must not sign yet; true when there is none.
    /// A key problem of a selector that does not sign (pending, retired) only leaves its DNS
    /// record without a key, and is a warning; the same problem on a signing selector is an
    /// error, said once.
    /// </summary>
    public static bool CheckActivation(RenderModel model, PublicKeyReading keys, string root, ApplyOptions options, ICollection<string> errors, ICollection<string> warnings, ICollection<string> notes)
    {
        var rows = model.OpenDkim?.KeyTable ?? [];
        var signing = rows.Select(r => r.KeyPath).ToHashSet(StringComparer.Ordinal);
        foreach (var finding in keys.Findings.Where(f => f.Problem == KeyProblem.Weak || (f.Problem != KeyProblem.Unsafe && !signing.Contains(f.KeyPath))))
        {
            warnings.Add(finding.Diagnostic.FormatWithoutSeverity(options.PolicyName));
        }

        // Key paths are unique: the policy refuses two selectors that share a key file.
        var unusable = keys.Findings.Where(f => f.Problem is KeyProblem.Missing or KeyProblem.Unreadable).ToDictionary(f => f.KeyPath, StringComparer.Ordinal);

        // A key that others could change or read is never used, whatever its selector's state.
        var ok = true;
        var refused = new HashSet<string>(StringComparer.Ordinal);
        foreach (var finding in keys.Findings.Where(f => f.Problem == KeyProblem.Unsafe))
        {
            errors.Add(finding.Diagnostic.FormatWithoutSeverity(options.PolicyName));
            refused.Add(finding.KeyPath);
            ok = false;
        }

        var installed = InstalledKeyNames(root);
        DnsChecker? dns = null;
        foreach (var row in rows.Where(r => !refused.Contains(r.KeyPath)))
        {
            if (unusable.TryGetValue(row.KeyPath, out var problem))
            {
                if (problem.Problem == KeyProblem.Missing && options.CheckOnly && options.GenerateKeys)
                {
                    notes.Add($"apply would create the key {row.KeyPath} of selector {row.Selector} of {row.Domain}");
                    continue;
                }

                errors.Add(problem.Problem == KeyProblem.Missing
                    ? $"selector {row.Selector} of {row.Domain} is active but its key file {row.KeyPath} does not exist; create it with 'ucs-mail-config dkim keygen' or 'apply --generate-keys'"
                    : $"selector {row.Selector} of {row.Domain} is active but OpenDKIM could not sign with its key: {problem.Reason}; replace the file with a working key, or keep the selector pending");
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
                warnings.Add($"selector {row.Selector} of {row.Domain} becomes active without a DNS check (--activate-without-dns); receivers will fail its signatures until the record {row.KeyName} with its key is published (ucs-mail-config dns)");
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
        return [.. TrustedRead.Lines(root, TemplateCatalog.OutputPath(TemplateCatalog.KeyTable))
            .Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith('@')).Select(l => l.Split(' ')[0])];
    }
}
