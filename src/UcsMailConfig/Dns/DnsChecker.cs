using System.Collections.Immutable;
using System.Net;
using DnsClient;
using UcsMailConfig.Diagnostics;

namespace UcsMailConfig.Dns;

/// <summary>
/// Asks one DNS server (or the system's resolvers) for the records a policy publishes and
/// compares each with what is expected (<see cref="DnsRecordComparison"/>). Bounded: one query
/// per record, each with a timeout and one retry, all of them within a total time, over UDP with TCP for long answers; no cache.
/// Also what apply asks before it lets a selector become active (<see cref="IsVisible"/>).
/// </summary>
public sealed class DnsChecker
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(3);

    /// <summary>How long all questions of one check may take together, by default.</summary>
    public static readonly TimeSpan DefaultTotal = TimeSpan.FromSeconds(10);

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
        Server = server is null ? $"the system's resolvers ({string.Join(", ", _client.NameServers)})" : $"the DNS server {server}";
    }

    /// <summary>The server asked, for a message: its address, or the system's resolvers.</summary>
    public string Server { get; }

    /// <summary>Checks every record that has a value (a DKIM record without a local key cannot be compared).</summary>
    public ImmutableArray<DnsCheckResult> Check(IEnumerable<DnsRecord> expected) => Check(expected, DefaultTotal);

    /// <summary>
    /// Like <see cref="Check(IEnumerable{DnsRecord})"/>, within <paramref name="total"/> for all
    /// questions together. After a question the server left unanswered, or once the time is
    /// used up, the remaining records are not asked (unanswered, with the reason): an
    /// unanswering server costs one query's time, not one per record.
    /// </summary>
    public ImmutableArray<DnsCheckResult> Check(IEnumerable<DnsRecord> expected, TimeSpan total)
    {
        using var budget = new CancellationTokenSource(total);
        var results = new List<DnsCheckResult>();
        string? skipped = null;
        foreach (var record in expected.Where(r => r.Value is not null))
        {
            var result = skipped is null ? Check(record, budget.Token) : new DnsCheckResult(record, DnsCheckStatus.Unanswered, skipped);
            if (skipped is null && result.Status == DnsCheckStatus.Unanswered)
            {
                skipped = budget.IsCancellationRequested
                    ? $"not asked: the DNS questions' time of {total.TotalSeconds:0.#} s was used up"
                    : $"not asked: {Server} did not answer for {record.Name}";
            }

            results.Add(result);
        }

        return [.. results];
    }

    public DnsCheckResult Check(DnsRecord expected) => Check(expected, CancellationToken.None);

    private DnsCheckResult Check(DnsRecord expected, CancellationToken budget)
    {
        IDnsQueryResponse response;
        try
        {
            response = _client.QueryAsync(expected.Name, QueryType.TXT, QueryClass.IN, budget).GetAwaiter().GetResult();
        }
        catch (DnsResponseException e)
        {
            return new DnsCheckResult(expected, DnsCheckStatus.Unanswered, $"{Server} gave no answer for {expected.Name}: {e.Message}");
        }
        catch (OperationCanceledException)
        {
            return new DnsCheckResult(expected, DnsCheckStatus.Unanswered, $"{Server} gave no answer for {expected.Name} before the DNS questions' time was used up");
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

    /// <summary>
    /// The TXT values published at <paramref name="name"/> (each record's strings joined), empty
    /// when the name or the type does not exist; null, with the reason, when the server gave no
    /// usable answer within the budget.
    /// </summary>
    public ImmutableArray<string>? Txt(string name, CancellationToken budget, out string? problem)
    {
        problem = null;
        IDnsQueryResponse response;
        try
        {
            response = _client.QueryAsync(name, QueryType.TXT, QueryClass.IN, budget).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is DnsResponseException or OperationCanceledException)
        {
            problem = $"{Server} gave no answer for {name}: {e.Message}";
            return null;
        }

        if (response.HasError && response.Header.ResponseCode != DnsHeaderResponseCode.NotExistentDomain)
        {
            problem = $"the server answered {response.ErrorMessage} for {name}";
            return null;
        }

        return [.. response.Answers.TxtRecords().Select(txt => string.Concat(txt.Text))];
    }
}
