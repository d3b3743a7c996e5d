using System.CommandLine;
using System.Net;
using UcsMailConfig.Dns;

namespace UcsMailConfig.Cli;

/// <summary>
/// The DNS options of every command that asks the DNS for the policy's records (<c>status</c>,
/// <c>dns check</c>): which server, how long one answer may take, how long all of them may take
/// together. One wording, one set of defaults (<see cref="DnsChecker"/>'s), one check of the values.
/// </summary>
internal sealed class DnsQuestionOptions
{
    private readonly Option<string?> _server = new("--dns-server", "--server") { Description = "Ask only this DNS server: IP or IP:PORT (default: the resolvers of /etc/resolv.conf)" };
    private readonly Option<int> _timeout = new("--dns-timeout") { Description = "Seconds to wait for each DNS answer (tried twice at most)", DefaultValueFactory = _ => (int)DnsChecker.DefaultTimeout.TotalSeconds };
    private readonly Option<int> _total = new("--dns-total") { Description = "Seconds all DNS questions may take together; an unanswering server stops the questions after the first", DefaultValueFactory = _ => (int)DnsChecker.DefaultTotal.TotalSeconds };

    public void AddTo(Command command)
    {
        command.Add(_server);
        command.Add(_timeout);
        command.Add(_total);
    }

    /// <summary>The server (null: the system's resolvers) and the bounds, or null with <paramref name="error"/> (one line, without "error: ").</summary>
    public DnsQuestions? Build(ParseResult parse, out string? error)
    {
        IPEndPoint? server = null;
        error = parse.GetValue(_server) is { } text && !DnsServerAddress.TryParse(text, out server) ? $"--dns-server: '{text}' is not valid; expected {DnsServerAddress.Expectation}"
            : parse.GetValue(_timeout) < 1 || parse.GetValue(_total) < 1 ? "--dns-timeout and --dns-total must be at least 1 (seconds)"
            : null;
        return error is null ? new DnsQuestions(server, TimeSpan.FromSeconds(parse.GetValue(_timeout)), TimeSpan.FromSeconds(parse.GetValue(_total))) : null;
    }
}

/// <summary>Whom to ask and how patiently: <see cref="DnsChecker"/>'s server, timeout per answer and total time.</summary>
internal sealed record DnsQuestions(IPEndPoint? Server, TimeSpan Timeout, TimeSpan Total);
