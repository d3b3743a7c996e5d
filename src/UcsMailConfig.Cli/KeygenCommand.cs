using System.CommandLine;
using UcsMailConfig.Dkim;
using UcsMailConfig.Policy.Values;

namespace UcsMailConfig.Cli;

/// <summary>
/// <c>dkim keygen --domain D --selector S</c>: create one new private key (never over an
/// existing file) and print the DNS record to publish, in both forms. Exit 1, nothing
/// written, when the input is bad or the key file exists.
/// </summary>
internal static class KeygenCommand
{
    public static Command Create(Terminal terminal)
    {
        var (stdout, stderr) = (terminal.Out, terminal.Error);
        var domainOption = KeyOptions.Domain();
        var selectorOption = new Option<string>("--selector") { Description = "The selector, e.g. a date such as 20261128", Required = true };
        var bitsOption = KeyOptions.Bits();
        var keyOption = new Option<string?>("--key") { HelpName = ValueNames.File, Description = "The key file on the server, below the key folder (default KEY_FOLDER/DOMAIN/SELECTOR.private)" };
        var keyFolderOption = KeyOptions.KeyFolder();
        var rootOption = KeyOptions.Root();
        var command = new Command("keygen", "Create a DKIM private key (RSA, PEM, mode 0600) and print the DNS record to publish. Never overwrites a key.")
        {
            domainOption, selectorOption, bitsOption, keyOption, keyFolderOption, rootOption,
        };
        command.SetAction(parse =>
        {
            var domainText = parse.GetRequiredValue(domainOption);
            var selector = parse.GetRequiredValue(selectorOption);
            var bits = parse.GetValue(bitsOption);
            if (!DomainName.TryParse(domainText, out var domain))
            {
                return InvalidInput.Report(stderr, $"--domain: '{domainText}' is not valid; expected {DomainName.Expectation}");
            }

            if (!DkimSelectorName.IsValid(selector))
            {
                return InvalidInput.Report(stderr, $"--selector: '{selector}' is not valid; expected {DkimSelectorName.Expectation}");
            }

            var keyFolder = parse.GetRequiredValue(keyFolderOption);
            if (KeyFolder.Problem(keyFolder) is { } problem)
            {
                return InvalidInput.Report(stderr, $"--key-folder: '{keyFolder}' cannot hold DKIM keys: {problem}; use {KeyFolder.Expectation}");
            }

            var keyPath = parse.GetValue(keyOption) ?? DkimSelectorName.DefaultKeyPath(keyFolder, domain, selector);
            if (!FilePath.IsSafeAbsolute(keyPath))
            {
                return InvalidInput.Report(stderr, $"--key: '{keyPath}' is not valid; expected {FilePath.Expectation}");
            }

            if (!KeyFolder.IsBelow(keyFolder, keyPath))
            {
                return InvalidInput.Report(stderr, $"--key: '{keyPath}' is outside the key folder {keyFolder}; put it below {keyFolder}/ or name its folder with --key-folder");
            }

            if (!DkimKeySize.IsAllowed(bits))
            {
                return InvalidInput.Report(stderr, $"--bits: {bits} is not offered; use {DkimKeySize.Expectation}");
            }

            RecordPrinter.WarnIfWeak(bits, stderr);
            CreatedKey key;
            try
            {
                key = DkimKeyStore.Create(domain, selector, keyFolder, keyPath, bits, parse.GetValue(rootOption));
            }
            catch (DkimKeyException e)
            {
                return KeyOptions.Report(e, stderr);
            }

            RecordPrinter.PrintCreated(key, stdout);
            RecordPrinter.PrintBothForms(key, pending: false, stdout);
            stdout.WriteLine();
            stdout.WriteLine($"Next: add it to the policy under domains.{domain}.dkim.selectors as  {RecordPrinter.PolicyLine(domain, selector, keyPath)}");
            stdout.WriteLine("then publish the record, run 'ucs-mail-config dns check POLICY', and once it passes set state: active and apply.");
            return ExitCodes.Success;
        });
        return command;
    }
}
