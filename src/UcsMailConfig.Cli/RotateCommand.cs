using System.CommandLine;
using System.Globalization;
using UcsMailConfig.Dkim;
using UcsMailConfig.Policy.Model;
using UcsMailConfig.Policy.Values;

namespace UcsMailConfig.Cli;

/// <summary>
/// <c>dkim rotate --domain D</c>: start a key rotation. Names the next selector after the day
/// (with a suffix when taken by the policy or an existing key file), creates its key, and prints
/// the policy line to add (state: pending), the DNS record, and the remaining steps. Changes no
/// policy and no existing key.
/// </summary>
internal static class RotateCommand
{
    public static Command Create(Terminal terminal)
    {
        var (stdout, stderr) = (terminal.Out, terminal.Error);
        var domainOption = KeyOptions.Domain();
        var policyOption = new Option<string?>("--policy") { HelpName = ValueNames.Policy, Description = "The policy file; its selectors for the domain count as taken names" };
        var rootOption = KeyOptions.Root();
        var dateOption = new Option<string?>("--date") { Description = "The day that names the selector, YYYYMMDD (default: today, UTC)" };
        var bitsOption = KeyOptions.Bits();
        var anotherOption = new Option<bool>("--another") { Description = "Start a further rotation although one is under way for the domain (a second pending key)" };
        var command = new Command("rotate", "Start a DKIM key rotation: create the next date-named selector's key and print the policy line and DNS record to add. Refuses (exit 5) while the domain has a pending selector, or a rotation key the policy does not name yet, unless --another.")
        {
            domainOption, policyOption, rootOption, dateOption, bitsOption, anotherOption,
        };
        command.SetAction(parse =>
        {
            var domainText = parse.GetRequiredValue(domainOption);
            var root = parse.GetValue(rootOption);
            var bits = parse.GetValue(bitsOption);
            if (!DomainName.TryParse(domainText, out var domain))
            {
                return InvalidInput.Report(stderr, $"--domain: '{domainText}' is not valid; expected {DomainName.Expectation}");
            }

            var dateText = parse.GetValue(dateOption);
            var day = DateOnly.FromDateTime(DateTime.UtcNow);
            if (dateText is not null && !DateOnly.TryParseExact(dateText, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
            {
                return InvalidInput.Report(stderr, $"--date: '{dateText}' is not a day written YYYYMMDD, e.g. 20261128");
            }

            if (!DkimKeySize.IsAllowed(bits))
            {
                return InvalidInput.Report(stderr, $"--bits: {bits} is not offered; use {DkimKeySize.Expectation}");
            }

            List<DkimSelector>? policySelectors = null;
            var keyFolder = KeyFolder.Default;
            var policyPath = parse.GetValue(policyOption);
            if (policyPath is not null)
            {
                if (PolicyInput.Load(policyPath, terminal) is not { } loaded)
                {
                    return ExitCodes.InvalidInput;
                }

                var entry = loaded.Policy.Domains.FirstOrDefault(d => d.Name == domain);
                if (entry is null)
                {
                    return InvalidInput.Report(stderr, $"{loaded.Name} has no domain {domain}; add it under domains: first, or check --domain");
                }

                policySelectors = [.. entry.Dkim?.Selectors ?? []];
                keyFolder = loaded.Policy.Dkim.KeyFolder;
            }

            // A second run must not quietly make a second pending key: the first rotation is finished first.
            if (!parse.GetValue(anotherOption) && DkimRotation.Underway(day, domain, keyFolder, policySelectors, root) is [var underway, ..])
            {
                stderr.WriteLine($"error: a rotation is under way for {domain}: the selector \"{underway}\" is {(policySelectors?.Any(s => s.Name == underway) == true ? "pending in the policy" : $"a key ({DkimKeyStore.PathUnder(root, DkimSelectorName.DefaultKeyPath(keyFolder, domain, underway))}) that the policy does not name yet")}; finish it first (add it to the policy if needed, publish its DNS record, set it to state: active and apply), or pass --another to start a further one beside it. Nothing was written.");
                return ExitCodes.Refused;
            }

            string selector;
            CreatedKey key;
            try
            {
                selector = DkimRotation.NextSelector(day, name =>
                    (policySelectors ?? []).Any(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
                    || Path.Exists(DkimKeyStore.PathUnder(root, DkimSelectorName.DefaultKeyPath(keyFolder, domain, name))));
                RecordPrinter.WarnIfWeak(bits, stderr);
                key = DkimKeyStore.Create(domain, selector, keyFolder, DkimSelectorName.DefaultKeyPath(keyFolder, domain, selector), bits, root);
            }
            catch (DkimKeyException e)
            {
                return KeyOptions.Report(e, stderr);
            }

            RecordPrinter.PrintCreated(key, stdout);
            var active = (policySelectors ?? []).Where(s => s.State == SelectorState.Active).Select(s => s.Name).ToList();
            var policyName = policyPath ?? "the policy";
            stdout.WriteLine();
            stdout.WriteLine("Rotation, step by step:");
            stdout.WriteLine($"1. Add the new selector to {policyName}, under domains.{domain}.dkim.selectors:");
            stdout.WriteLine();
            stdout.WriteLine($"        {RecordPrinter.PolicyLine(domain, selector, key.KeyPath)}");
            stdout.WriteLine();
            stdout.WriteLine("2. Publish its DNS record (below), wait for the DNS to show it, and check:");
            stdout.WriteLine($"       ucs-mail-config dns check {policyPath ?? "POLICY"}");
            stdout.WriteLine($"3. Once the check passes: set \"{selector}\" to state: active{(active.Count > 0 ? $" and {string.Join(", ", active.Select(a => $"\"{a}\""))} to state: retired" : "")}; apply.");
            stdout.WriteLine("4. After a grace period of a few days (mail in transit is still verified against the old key), remove the retired selector from the policy and its record from DNS. Its key file stays until you remove it.");
            RecordPrinter.PrintBothForms(key, pending: true, stdout);
            return ExitCodes.Success;
        });
        return command;
    }
}
