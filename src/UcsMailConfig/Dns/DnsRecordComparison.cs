using UcsMailConfig.Diagnostics;

namespace UcsMailConfig.Dns;

/// <summary>
/// Compares the TXT records found at a name with the record the policy expects there. Pure:
/// <c>found</c> holds each TXT record's strings already joined. SPF and DMARC are compared by
/// meaning (terms in order, letter case and spacing aside; DMARC tags with their defaults),
/// DKIM by the key (<c>p=</c>, spacing aside), so a harmless difference in spelling still matches.
/// </summary>
internal static class DnsRecordComparison
{
    public static (DnsCheckStatus Status, string Detail) Compare(DnsRecord expected, IReadOnlyList<string> found)
    {
        var value = expected.Value ?? throw new ArgumentException($"{expected.Name} has no expected value to compare with", nameof(expected));
        return expected.Kind switch
        {
            DnsRecordKind.Spf => CompareOne(expected, found.Where(IsSpf).ToList(), "SPF", "v=spf1", SpfTerms(value), SpfTerms,
                "receivers answer PermError when a domain has more than one SPF record"),
            DnsRecordKind.Dmarc => CompareOne(expected, found.Where(IsDmarc).ToList(), "DMARC", "v=DMARC1", DmarcTags(value), DmarcTags,
                "receivers ignore DMARC when there is more than one record"),
            _ => CompareDkim(expected, value, found),
        };
    }

    private static (DnsCheckStatus, string) CompareOne(
        DnsRecord expected, List<string> found, string kind, string tag, string want, Func<string, string> normalize, string whyOne)
    {
        if (found.Count == 0)
        {
            return (DnsCheckStatus.Missing, $"no {kind} record (TXT starting with {tag}) at {expected.Name}; publish: {expected.Value}");
        }

        if (found.Count > 1)
        {
            return (DnsCheckStatus.Multiple, $"{found.Count} {kind} records at {expected.Name} ({string.Join(" | ", found.Select(Text.Quote))}); {whyOne}; keep exactly one: {expected.Value}");
        }

        return normalize(found[0]) == want
            ? (DnsCheckStatus.Match, $"{kind} record at {expected.Name} matches")
            : (DnsCheckStatus.Different, $"the {kind} record at {expected.Name} is {Text.Quote(found[0])}; the policy says: {expected.Value}");
    }

    private static (DnsCheckStatus, string) CompareDkim(DnsRecord expected, string value, IReadOnlyList<string> found)
    {
        var name = expected.Name;
        if (found.Count == 0)
        {
            return (DnsCheckStatus.Missing, $"no DKIM record at {name}; publish the record that 'ucs-mail-config dns POLICY' prints");
        }

        if (found.Count > 1)
        {
            return (DnsCheckStatus.Multiple, $"{found.Count} TXT records at {name}; receivers need exactly one DKIM record per selector");
        }

        var want = Tags(value)["p"];
        var tags = Tags(found[0]);
        var published = tags.GetValueOrDefault("p", "");
        if (tags.TryGetValue("k", out var type) && !type.Equals("rsa", StringComparison.OrdinalIgnoreCase))
        {
            return (DnsCheckStatus.Different, $"the DKIM record at {name} is for a {Text.Quote(type)} key; the local key is RSA");
        }

        if (published == want)
        {
            return (DnsCheckStatus.Match, $"DKIM record at {name} matches the local key");
        }

        if (published.Length > 0 && want.StartsWith(published, StringComparison.Ordinal))
        {
            return (DnsCheckStatus.Truncated, $"the DKIM record at {name} is truncated: its p= has {published.Length} of the key's {want.Length} characters, so a string of the split record was lost; publish it again as ONE record (zone form: all quoted strings inside one pair of parentheses; plain form: the whole value in one piece)");
        }

        return (DnsCheckStatus.Different, published.Length == 0
            ? $"the DKIM record at {name} has no key (p= is empty or missing: the key is revoked); publish the local key's record"
            : $"the DKIM record at {name} holds another key than the local key file; publish the local key's record (or check --root)");
    }

    private static bool IsSpf(string text) => text.StartsWith("v=spf1", StringComparison.OrdinalIgnoreCase) && (text.Length == 6 || text[6] == ' ');

    private static bool IsDmarc(string text) => text.TrimStart().StartsWith("v=DMARC1", StringComparison.OrdinalIgnoreCase);

    private static string SpfTerms(string text) =>
        string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(term => term.TrimStart('+').ToLowerInvariant()));

    private static readonly (string Tag, string Default)[] DmarcDefaults = [("pct", "100"), ("adkim", "r"), ("aspf", "r"), ("rua", ""), ("ruf", "")];

    /// <summary>The tags in a fixed order with RFC 7489's defaults filled in, so that leaving out a default still matches.</summary>
    private static string DmarcTags(string text)
    {
        var tags = Tags(text).ToDictionary(t => t.Key, t => t.Value.ToLowerInvariant(), StringComparer.Ordinal);
        tags.TryAdd("sp", tags.GetValueOrDefault("p", ""));
        foreach (var (tag, value) in DmarcDefaults)
        {
            tags.TryAdd(tag, value);
        }

        return string.Join("; ", tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}"));
    }

    /// <summary>TAG=VALUE pairs split at ';' (RFC 6376 3.2); spaces inside values (folded base64) are dropped.</summary>
    private static Dictionary<string, string> Tags(string text)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                tags.TryAdd(part[..equals].Trim().ToLowerInvariant(), string.Concat(part[(equals + 1)..].Where(c => !char.IsWhiteSpace(c))));
            }
        }

        return tags;
    }
}
