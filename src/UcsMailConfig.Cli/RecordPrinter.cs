using System.Collections.Immutable;
using UcsMailConfig.Dkim;
using UcsMailConfig.Dns;
using UcsMailConfig.Policy.Model;
using UcsMailConfig.Policy.Values;
using UcsMailConfig.Rendering;

namespace UcsMailConfig.Cli;

/// <summary>Prints what keygen and rotate have in common: the new key's summary and its record in both labelled forms.</summary>
internal static class RecordPrinter
{
    public static void PrintCreated(CreatedKey key, TextWriter stdout)
    {
        stdout.WriteLine($"Created {key.WrittenTo}: RSA {key.PublicKey.Bits}-bit private key, mode 0600, owner {key.Owner}.");
        stdout.WriteLine("The private key is never printed; back the file up like a password.");
    }

    /// <summary>
    /// The record of a key just created: rotate's new selector is pending; keygen reads no
    /// policy, so its label claims no state (the admin's policy may already have it active).
    /// </summary>
    public static void PrintBothForms(CreatedKey key, bool pending, TextWriter stdout)
    {
        var record = DnsRecordDeriver.Dkim(key.Domain, new DkimSelector(key.Selector, key.KeyPath, SelectorState.Pending), key.PublicKey.Base64);
        PrintBothForms([pending ? record : record with { Comment = $"{key.Domain}: DKIM key of selector {key.Selector} (new key: signs while the applied policy has the selector active)" }], stdout);
    }

    public static void PrintBothForms(ImmutableArray<DnsRecord> records, TextWriter stdout)
    {
        stdout.WriteLine();
        stdout.WriteLine("Publish in ONE of these two forms: the zone-file form for a BIND zone file, or the plain form for a DNS provider's web form.");
        stdout.WriteLine();
        stdout.Write(DnsText.Zone(records));
        stdout.WriteLine();
        stdout.Write(DnsText.Plain(records));
    }

    /// <summary>The selector as a line of the policy, quoted because YAML would read a date-like name as a number.</summary>
    public static string PolicyLine(DomainName domain, string selector, string keyPath) =>
        keyPath == DkimSelectorName.DefaultKeyPath(KeyFolder.Default, domain, selector)
            ? $"\"{selector}\": {{state: pending}}"
            : $"\"{selector}\": {{key: {keyPath}, state: pending}}";

    public static void WarnIfWeak(int bits, TextWriter stderr)
    {
        if (DkimKeySize.IsWeak(bits))
        {
            stderr.WriteLine($"WARNING: a {bits}-bit RSA key is weak. Receivers may treat its signatures as invalid (RFC 8301 asks for at least 2048 bits).");
            stderr.WriteLine("WARNING: use it only where a DNS provider cannot publish a longer record, and rotate to 2048 bits soon.");
        }
    }
}
