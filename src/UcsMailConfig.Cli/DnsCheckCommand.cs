using System.CommandLine;
using System.Net;
using UcsMailConfig.Dns;

namespace UcsMailConfig.Cli;

/// <summary>
/// <c>dns check POLICY [--dns-server IP[:PORT]]</c>: ask the DNS for every record the policy
/// publishes and compare. Exit 0 when all match; 2 when any is missing, different, truncated
/// or doubled (something left to publish, like "changes pending"); 1 when the check could not
/// be done: bad input, a missing key file, or a server that did not answer.
/// </summary>
internal static class DnsCheckCommand
{
    public static Command Create(Terminal terminal)
    {
        var (stdout, stderr) = (terminal.Out, terminal.Error);
        var policyArgument = PolicyInput.CreateArgument();
        var serverOption = new Option<string?>("--dns-server", "--server") { Description = "Ask only this DNS server: IP or IP:PORT (default: the resolvers of /etc/resolv.conf)" };
        var root = KeyOptions.Root();
        var command = new Command("check", "Compare the published DNS records with the policy and the local DKIM keys. Exit 0 all match, 2 mismatches, 1 could not check.")
        {
            policyArgument, serverOption, root,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetRequiredValue(policyArgument);
            IPEndPoint? server = null;
            if (parse.GetValue(serverOption) is { } serverText && !DnsServerAddress.TryParse(serverText, out server))
            {
                return InvalidInput.Report(stderr, $"--dns-server: '{serverText}' is not valid; expected {DnsServerAddress.Expectation}");
            }

            if (PolicyInput.Load(path, terminal) is not { } loaded
                || PolicyKeys.Read(loaded, parse.GetValue(root), allowMissing: false, stderr) is not { } keys)
            {
                return ExitCodes.InvalidInput;
            }

            var results = new DnsChecker(server, DnsChecker.DefaultTimeout).Check(MailPolicyPipeline.DeriveDnsRecords(loaded.Policy, keys));
            foreach (var result in results)
            {
                stdout.WriteLine($"{Label(result.Status),-10} {result.Expected.Name} TXT: {result.Detail}");
            }

            var matching = results.Count(r => r.IsMatch);
            stdout.WriteLine($"{matching} of {results.Length} record(s) match{(server is null ? "" : $" on {server}")}.");
            return results.Any(r => r.Status == DnsCheckStatus.Unanswered) ? ExitCodes.InvalidInput
                : matching < results.Length ? ExitCodes.ChangesPending
                : ExitCodes.Success;
        });
        return command;
    }

    private static string Label(DnsCheckStatus status) => status switch
    {
        DnsCheckStatus.Match => "ok",
        DnsCheckStatus.Missing => "MISSING",
        DnsCheckStatus.Different => "DIFFERENT",
        DnsCheckStatus.Truncated => "TRUNCATED",
        DnsCheckStatus.Multiple => "MULTIPLE",
        _ => "NO ANSWER",
    };
}
