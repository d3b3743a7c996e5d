using System.CommandLine;
using System.Net;
using UcsMailConfig.Dns;
using UcsMailConfig.Ucs;

namespace UcsMailConfig.Cli;

/// <summary>
/// The options that decide what an apply would do, shared by <c>apply</c> and <c>diff</c> (its
/// check mode), so that both plan and refuse alike: the host and its programs, the lock, the
/// timeout, and the DKIM key and DNS rules.
/// </summary>
internal sealed class PlanOptions
{
    private readonly HostOptions _host = new();
    private readonly Option<int> _lockWait = new("--lock-wait") { Description = "Seconds to wait for another apply on the same host to finish", DefaultValueFactory = _ => (int)ApplyLock.DefaultWait.TotalSeconds };
    private readonly Option<int> _timeout = new("--timeout") { Description = "Seconds each external program may run", DefaultValueFactory = _ => 120 };
    private readonly Option<bool> _generateKeys = new("--generate-keys") { Description = "Create the DKIM keys that pending and active selectors name but that do not exist yet (never over an existing key)" };
    private readonly Option<string?> _dnsServer = new("--dns-server") { Description = "IP[:PORT] of the DNS server asked whether a newly active selector's record is published (default: the system's resolvers)" };
    private readonly Option<bool> _quiet = new("--quiet", "-q") { Description = "Print only warnings and errors: no step-by-step progress on stderr, and apply prints no report (its exit code says how it went; --json still prints its report)" };
    private readonly Option<bool> _activateWithoutDns = new("--activate-without-dns") { Description = "Let a selector start signing although DNS does not show its record yet (receivers will fail its signatures)" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _lockWait, _timeout, _generateKeys, _dnsServer, _activateWithoutDns, _quiet })
        {
            command.Add(option);
        }

        _host.AddTo(command);
    }

    /// <summary>--quiet: only warnings and errors.</summary>
    public bool Quiet(ParseResult parse) => parse.GetValue(_quiet);

    /// <summary>
    /// The apply's options, or null with <paramref name="error"/> (one line, without "error: ")
    /// when one is malformed; <paramref name="stderr"/> gets the progress (the wait for the lock too) unless --quiet.
    /// </summary>
    public ApplyOptions? Build(ParseResult parse, LoadedPolicy policy, bool checkOnly, TextWriter stderr, out string? error)
    {
        IPEndPoint? server = null;
        error = parse.GetValue(_dnsServer) is { } serverText && !DnsServerAddress.TryParse(serverText, out server) ? $"--dns-server {serverText} is not IP[:PORT]"
            // A zero timeout would fail every program at once; a negative wait means nothing.
            : parse.GetValue(_timeout) is < 1 and var timeout ? $"--timeout {timeout} must be at least 1 (seconds)"
            : parse.GetValue(_lockWait) is < 0 and var lockWait ? $"--lock-wait {lockWait} must be 0 or more (seconds)"
            : null;
        if (error is not null)
        {
            return null;
        }

        return new ApplyOptions(Path.GetFullPath(parse.GetRequiredValue(_host.Root)), _host.Tools(parse), checkOnly,
            TimeSpan.FromSeconds(parse.GetValue(_lockWait)), TimeSpan.FromSeconds(parse.GetValue(_timeout)))
        {
            PolicyName = policy.Name,
            GenerateKeys = parse.GetValue(_generateKeys),
            DnsServer = server,
            ActivateWithoutDns = parse.GetValue(_activateWithoutDns),
            // Each step as it starts, "apply: ..." (or "diff: ..."), on stderr so stdout stays the report.
            Progress = Quiet(parse) ? _ => { } : step => stderr.WriteLine($"{parse.CommandResult.Command.Name}: {step.Detail}"),
        };
    }
}
