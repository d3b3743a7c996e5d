using System.CommandLine;
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
        var dns = new DnsQuestionOptions();
        var root = KeyOptions.Root();
        var command = new Command("check", "Compare the published DNS records with the policy and the local DKIM keys, with the same bounded DNS questions as status. Exit 0 all match, 2 mismatches, 1 could not check.")
        {
            policyArgument, root,
        };
        dns.AddTo(command);
        command.SetAction(parse =>
        {
            var path = parse.GetRequiredValue(policyArgument);
            if (dns.Build(parse, out var error) is not { } questions)
            {
                return InvalidInput.Report(stderr, error!);
            }

            if (PolicyInput.Load(path, terminal) is not { } loaded
                || PolicyKeys.Read(loaded, parse.GetValue(root), allowMissing: false, stderr) is not { } keys)
            {
                return ExitCodes.InvalidInput;
            }

            var results = new DnsChecker(questions.Server, questions.Timeout).Check(MailPolicyPipeline.DeriveDnsRecords(loaded.Policy, keys), questions.Total);
            foreach (var result in results)
            {
                stdout.WriteLine($"{Label(result.Status),-10} {result.Expected.Name} TXT: {result.Detail}");
            }

            var matching = results.Count(r => r.IsMatch);
            stdout.WriteLine($"{matching} of {results.Length} record(s) match{(questions.Server is null ? "" : $" on {questions.Server}")}.");
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
