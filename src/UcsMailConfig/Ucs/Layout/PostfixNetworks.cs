using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using UcsMailConfig.Policy.Values;

namespace UcsMailConfig.Ucs.Layout;

/// <summary>
/// Postfix's effective <c>mynetworks</c> (what <c>postconf -x -h mynetworks</c> prints on the
/// host) as OpenDKIM InternalHosts entries. Contract: every form Postfix allows is read —
/// networks in CIDR form (host bits are cleared, as Postfix's match does), bare addresses,
/// <c>[::1]/128</c> and <c>[addr]</c> brackets, host names; entries are separated by spaces
/// and commas. Two forms cannot be carried into OpenDKIM: a <c>type:table</c> or <c>/file</c>
/// entry (a lookup table OpenDKIM cannot read) is listed in <see cref="Unreadable"/> — leaving
/// it out signs less, never more, so apply warns; a <c>!</c> negation is listed in
/// <see cref="Negations"/> — Postfix's first match in order has no OpenDKIM equivalent, and
/// leaving it out would sign mail Postfix does not relay for, so apply refuses.
/// </summary>
public sealed record PostfixNetworks(ImmutableArray<HostPattern> Hosts, ImmutableArray<string> Unreadable, ImmutableArray<string> Negations)
{
    /// <summary>The parameter apply reads on the host.</summary>
    public const string Parameter = "mynetworks";

    public static PostfixNetworks Parse(string value)
    {
        var hosts = new List<HostPattern>();
        var unreadable = new List<string>();
        var negations = new List<string>();
        foreach (var entry in value.Split([' ', '\t', '\n', '\r', ','], StringSplitOptions.RemoveEmptyEntries))
        {
            if (entry.StartsWith('!'))
            {
                negations.Add(entry);
            }
            else if (Host(entry) is { } host)
            {
                if (!hosts.Contains(host))
                {
                    hosts.Add(host);
                }
            }
            else
            {
                unreadable.Add(entry);
            }
        }

        return new PostfixNetworks([.. hosts], [.. unreadable], [.. negations]);
    }

    private static HostPattern? Host(string entry)
    {
        var slash = entry.IndexOf('/');
        var addressText = (slash < 0 ? entry : entry[..slash]).Trim('[', ']');
        if (!IPAddress.TryParse(addressText, out var address))
        {
            // Not an address: a table (hash:/etc/postfix/network_table), a file of patterns
            // (/etc/postfix/networks), or a host name.
            return !entry.Contains(':') && !entry.Contains('/') && HostPattern.TryParse(entry, out var name) ? name : null;
        }

        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        // A whole-address prefix is the address itself ([::1]/128 is ::1, as the policy writes it).
        if (slash < 0 || entry[(slash + 1)..] == bits.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            return new HostPattern(address.ToString());
        }

        if (!int.TryParse(entry[(slash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var prefix) || prefix > bits)
        {
            return null;
        }

        var bytes = address.GetAddressBytes();
        for (var bit = prefix; bit < bits; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new HostPattern($"{new IPAddress(bytes)}/{prefix}");
    }
}
