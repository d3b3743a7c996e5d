using System.CommandLine;
using UcsMailConfig.Dns;
using UcsMailConfig.Policy.Values;
using UcsMailConfig.Rendering;

namespace UcsMailConfig.Cli;

/// <summary>
/// <c>dns POLICY [--format zone|plain|json] [--domain D]</c>: print the TXT records to publish (DKIM per
/// selector, SPF, DMARC), of every domain or of one zone. A selector whose key file is missing is an error (exit 1, nothing
/// printed), unless <c>--allow-missing-keys</c> turns it into a warning and a comment line.
/// </summary>
internal static class DnsCommand
{
    public static Command Create(Terminal terminal)
    {
        var (stdout, stderr) = (terminal.Out, terminal.Error);
        var policyArgument = PolicyInput.CreateArgument();
        var format = new Option<string>("--format")
        {
            Description = "zone: BIND zone-file lines, long values in quoted strings of at most 255 bytes; plain: one line per record, no quotes, for a provider's web form; json: for scripts",
            DefaultValueFactory = _ => "zone",
        };
        format.AcceptOnlyFromAmong("zone", "plain", "json");
        var root = KeyOptions.Root();
        var domainOption = new Option<string?>("--domain") { Description = "Print only this domain's records; in the zone form with names relative to its zone ('@' for the domain itself), for that zone's file" };
        var allowMissing = new Option<bool>("--allow-missing-keys") { Description = "Print the other records when a selector's key file does not exist yet (its record becomes a comment)" };
        var command = new Command("dns", "Print the DNS records (DKIM, SPF, DMARC) the policy asks to publish.")
        {
            policyArgument, format, domainOption, root, allowMissing, DnsCheckCommand.Create(terminal),
        };
        command.SetAction(parse =>
        {
            var path = parse.GetRequiredValue(policyArgument);
            if (PolicyInput.Load(path, terminal) is not { } loaded
                || PolicyKeys.Read(loaded, parse.GetValue(root), parse.GetValue(allowMissing), stderr) is not { } keys)
            {
                return ExitCodes.InvalidInput;
            }

            var records = MailPolicyPipeline.DeriveDnsRecords(loaded.Policy, keys);
            DomainName? zone = null;
            if (parse.GetValue(domainOption) is { } domainText)
            {
                if (!DomainName.TryParse(domainText, out var domain) || !loaded.Policy.Domains.Any(d => d.Name == domain))
                {
                    return InvalidInput.Report(stderr, $"--domain: {domainText} is not a domain of {loaded.Name}; {(loaded.Policy.Domains.IsEmpty ? "it has none" : $"it has {string.Join(", ", loaded.Policy.Domains.Select(d => d.Name.Value))}")}");
                }

                zone = domain;
                records = [.. records.Where(r => r.Domain == domain)];
            }

            stdout.Write(parse.GetValue(format) switch
            {
                "plain" => DnsText.Plain(records),
                "json" => DnsJson.Write(records),
                _ => DnsText.Zone(records, zone),
            });
            return ExitCodes.Success;
        });
        return command;
    }
}
