using System.Collections.Immutable;
using System.Net;
using DnsClient;
using UcsMailConfig.Diagnostics;

namespace UcsMailConfig.Dns;

/// <summary>
/// Asks one DNS server (or the system's resolvers) for the records a policy publishes and
/// compares each with what is expected (<see cref="DnsRecordComparison"/>). Bounded: one query
/// per record, each with a timeout and one retry, over UDP with TCP for long answers; no cache.
/// Also what apply asks before it lets a selector become active (<see cref="IsVisible"/>).
/// </summary>
public sealed class DnsChecker
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(3);

    private readonly LookupClient _client;

    /// <param name="server">The only server asked; null asks the resolvers of /etc/resolv.conf.</param>
    /// <param name="timeout">How long to wait for each answer (each query is tried twice at most).</param>
    public DnsChecker(IPEndPoint? server, TimeSpan timeout)
    {
        var options = server is null ? new LookupClientOptions() : new LookupClientOptions(new NameServer(server));
        options.UseCache = false;
        options.Timeout = timeout;
        options.Retries = 1;
        options.UseTcpFallback = true;
        options.ThrowDnsErrors = false;
        options.ContinueOnDnsError = false;
        options.ContinueOnEmptyResponse = false;
        _client = new LookupClient(options);
    }

    /// <summary>Checks every record that has a value (a DKIM record without a local key cannot be compared).</summary>
    public ImmutableArray<DnsCheckResult> Check(IEnumerable<DnsRecord> expected) =>
        [.. expected.Where(r => r.Value is not null).Select(Check)];

    public DnsCheckResult Check(DnsRecord expected)
    {
        IDnsQueryResponse response;
        try
        {
            response = _client.Query(expected.Name, QueryType.TXT);
        }
        catch (DnsResponseException e)
        {
            return new DnsCheckResult(expected, DnsCheckStatus.Unanswered, $"no answer for {expected.Name}: {e.Message}");
        }

        if (response.HasError && response.Header.ResponseCode != DnsHeaderResponseCode.NotExistentDomain)
        {
            return new DnsCheckResult(expected, DnsCheckStatus.Unanswered, $"the server answered {response.ErrorMessage} for {expected.Name}");
        }

        var found = response.Answers.TxtRecords().Select(txt => string.Concat(txt.Text)).ToList();
        var (status, detail) = DnsRecordComparison.Compare(expected, found);
        return new DnsCheckResult(expected, status, detail);
    }

    /// <summary>True when the server shows <paramref name="record"/> exactly (for a DKIM record: with the local key).</summary>
    public bool IsVisible(DnsRecord record) => record.Value is not null && Check(record).IsMatch;
}
