using System.CommandLine;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using UcsMailConfig.Dns;
using UcsMailConfig.Ucs.Import;

namespace UcsMailConfig.Cli;

/// <summary>
/// <c>import [--root DIR] [--out FILE [--force]] [--dns-server IP[:PORT]] [--json]</c>: writes the
/// policy a hand-made host already runs (<see cref="HostImporter"/>), to standard output or to
/// --out (0644, atomically; an existing file only with --force). Exit 0 when everything was
/// taken, 2 when something was left out (listed), 1 for bad input, 5 when a program is missing.
/// </summary>
internal static class ImportCommand
{
    public static Command Create(Terminal terminal)
    {
        var (stdout, stderr) = (terminal.Out, terminal.Error);
        var host = new HostOptions();
        var output = new Option<string?>("--out") { Description = "Write the policy to this file (mode 0644) instead of standard output" };
        var force = new Option<bool>("--force") { Description = "Replace an existing --out file" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: the policy text, what was taken with its source, what was left out, the steps, the exit code" };
        var dnsServer = new Option<string?>("--dns-server") { Description = "IP[:PORT] of the DNS server asked for the domains' SPF and DMARC records (without it they are listed as left out)" };
        var dnsTimeout = new Option<int>("--dns-timeout") { Description = "Seconds to wait for each DNS answer (tried twice at most)", DefaultValueFactory = _ => (int)DnsChecker.DefaultTimeout.TotalSeconds };
        var dnsTotal = new Option<int>("--dns-total") { Description = "Seconds all DNS questions may take together", DefaultValueFactory = _ => 10 };
        var timeout = new Option<int>("--timeout") { Description = "Seconds each external program may run", DefaultValueFactory = _ => 60 };
        var command = new Command("import", "Write the mail-policy.yaml a hand-made host already runs: effective Postfix values, milters, OpenDKIM's settings, tables and key paths, TLS, S/MIME, and with --dns-server SPF and DMARC, each with a '# from FILE:LINE (source)' comment; what the policy cannot express is listed at the end. Writes nothing on the host. Exit 0 when everything was taken, 2 when something was left out, 1 for bad input, 5 when a program is missing.")
        {
            output, force, json, dnsServer, dnsTimeout, dnsTotal, timeout,
        };
        host.AddTo(command);
        command.SetAction(parse =>
        {
            IPEndPoint? server = null;
            var outPath = parse.GetValue(output) is { } o ? Path.GetFullPath(o) : null;
            var error = parse.GetValue(dnsServer) is { } serverText && !DnsServerAddress.TryParse(serverText, out server) ? $"--dns-server {serverText} is not {DnsServerAddress.Expectation}"
                : parse.GetValue(dnsTimeout) < 1 || parse.GetValue(dnsTotal) < 1 || parse.GetValue(timeout) < 1 ? "--dns-timeout, --dns-total and --timeout must be at least 1 (seconds)"
                : outPath is not null && !parse.GetValue(force) && (File.Exists(outPath) || Directory.Exists(outPath) || new FileInfo(outPath).LinkTarget is not null) ? $"--out {outPath} exists; --force replaces it"
                : null;
            if (error is not null)
            {
                return InvalidInput.Report(stderr, error);
            }

            var report = MailPolicyPipeline.Import(new ImportOptions(parse.GetRequiredValue(host.Root), host.Tools(parse), server,
                TimeSpan.FromSeconds(parse.GetValue(dnsTimeout)), TimeSpan.FromSeconds(parse.GetValue(dnsTotal)), TimeSpan.FromSeconds(parse.GetValue(timeout))));
            var exit = report.Outcome switch
            {
                ImportOutcome.Complete => ExitCodes.Success,
                ImportOutcome.Partial => ExitCodes.ChangesPending,
                ImportOutcome.Refused => ExitCodes.Refused,
                _ => ExitCodes.InvalidInput,
            };
            if (report.Policy is { } policy && outPath is not null)
            {
                try
                {
                    MailPolicyPipeline.WriteImported(outPath, policy);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return InvalidInput.Report(stderr, $"cannot write --out {outPath}: {e.Message}");
                }
            }

            if (parse.GetValue(json))
            {
                stdout.WriteLine(JsonSerializer.Serialize(new ImportJson(exit, report.Outcome.ToString().ToLowerInvariant(), report.Policy, outPath, report.Taken, report.LeftOut, report.Steps, report.Notes, report.Errors), ImportJsonContext.Default.ImportJson));
            }
            else if (report.Policy is { } text && outPath is null)
            {
                stdout.Write(text);
            }

            if (!parse.GetValue(json))
            {
                foreach (var line in report.Errors.Select(e => $"error: {e}")
                    .Concat(report.LeftOut.Select(l => $"left out: {l}"))
                    .Concat(report.Notes.Select(n => $"note: {n}"))
                    .Concat(report.Steps.Select(s => $"next: {s}")))
                {
                    stderr.WriteLine(line.ReplaceLineEndings(" "));
                }

                if (report.Policy is not null)
                {
                    stderr.WriteLine(report.LeftOut.Length == 0 ? "import: everything was taken" : $"import: {report.LeftOut.Length} thing(s) left out (listed above and at the end of the policy)");
                }
            }

            return exit;
        });
        return command;
    }
}

internal sealed record ImportJson(
    int ExitCode,
    string Outcome,
    string? Policy,
    string? Out,
    System.Collections.Immutable.ImmutableArray<ImportedValue> Taken,
    System.Collections.Immutable.ImmutableArray<LeftOut> LeftOut,
    System.Collections.Immutable.ImmutableArray<string> Steps,
    System.Collections.Immutable.ImmutableArray<string> Notes,
    System.Collections.Immutable.ImmutableArray<string> Errors);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ImportJson))]
internal sealed partial class ImportJsonContext : JsonSerializerContext;
