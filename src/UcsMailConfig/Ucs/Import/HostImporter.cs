// Contract: `import`'s one entry point. Reads a host below a root as it is — Postfix's effective
// values (postconf) with their sources, UCR's layers, OpenDKIM's files, our TLS table, Kopano's
// S/MIME configuration, and with a DNS server the published SPF and DMARC records — and writes a
// policy that, applied there, gives the same effective mail configuration. Nothing on the host is
// written. The written text is loaded back with our own loader before it is handed out.
using System.Collections.Immutable;
using System.Net;
using UcsMailConfig.Files;
using UcsMailConfig.Policy;
using UcsMailConfig.Policy.Model;
using UcsMailConfig.Policy.Values;
using UcsMailConfig.Rendering;
using UcsMailConfig.Rendering.Derive;
using UcsMailConfig.Ucs.Layout;

namespace UcsMailConfig.Ucs.Import;

/// <summary>Where and how <c>import</c> reads a host.</summary>
public sealed record ImportOptions(string Root, ToolPaths Tools, IPEndPoint? DnsServer, TimeSpan DnsTimeout, TimeSpan DnsTotal, TimeSpan CommandTimeout);

internal static class HostImporter
{
    private static readonly StockUcsParameters.Entry[] Queue =
        [StockUcsParameters.MaximalQueueLifetime, StockUcsParameters.BounceQueueLifetime, StockUcsParameters.DelayWarningTime];

    public static ImportReport Import(ImportOptions options)
    {
        try
        {
            return Read(options);
        }
        catch (UntrustedFileException e)
        {
            // A host file the tool does not trust: one line naming it, nothing written (exit 5).
            return new ImportReport(null, [], [], [], [], [e.Message], true);
        }
    }

    private static ImportReport Read(ImportOptions options)
    {
        var root = Path.GetFullPath(options.Root);
        var (leftOut, errors, notes, steps) = (new List<LeftOut>(), new List<string>(), new List<string>(), new List<string>());
        ImportReport Stop(bool refused) => new(null, [], [.. leftOut], [], [.. notes], [.. errors], refused);
        if (!TrustedRead.Exists(root, UcrTargets.MainCf.TrimStart('/')))
        {
            errors.Add($"{Path.Combine(root, UcrTargets.MainCf.TrimStart('/'))}:1: there is no main.cf below the root; --root must name a UCS mail host's root");
            return Stop(false);
        }

        if (!File.Exists(options.Tools.Postconf))
        {
            errors.Add($"postconf is missing ({options.Tools.Postconf}); --postconf or UCSMAIL_POSTCONF names it");
            return Stop(true);
        }

        var layers = UcrLayers.Read(root);
        var sources = new MainCfSources(root, layers);
        var runner = new CommandRunner(options.CommandTimeout);
        var names = Queue.Select(q => q.Parameter).Concat(StockUcsParameters.MilterParameters)
            .Concat([StockUcsParameters.SmtpTlsSecurityLevel.Parameter, StockUcsParameters.SmtpTlsMandatoryProtocols.Parameter, StockUcsParameters.SmtpdTlsMandatoryProtocols.Parameter,
                StockUcsParameters.SmtpTlsPolicyMaps.Parameter, StockUcsParameters.InboundTlsLevel, StockUcsParameters.DnsSupportLevel]);
        if (PolicyParameters.Effective(root, names, options.Tools, runner, out var failed) is not { } effective)
        {
            errors.Add($"{UcrTargets.MainCf}:1: {failed!.CommandLine} exited {failed.ExitCode}: {failed.Output.ReplaceLineEndings(" ").Trim()}");
            return Stop(false);
        }

        var text = new PolicyText();
        foreach (var section in new[] { "postfix", "dkim", "domains", "tls", "webapp" })
        {
            text.Reserve(section);
        }

        TakeQueue(text, effective, sources, leftOut);
        var openDkim = new OpenDkimImport(root, text, leftOut, errors, notes);
        var socket = openDkim.Read();
        new PostfixMilterImport(root, text, layers, sources, leftOut, notes).Take(effective, socket);
        TlsImport.Take(root, text, effective, sources, leftOut);
        TlsImport.TakeParameters(root, text, layers, sources, socket is not null, leftOut);
        TlsImport.TakeSmime(root, text, leftOut);
        DnsImport.Take(text, openDkim.Domains, options, leftOut, notes);
        if (errors.Count > 0)
        {
            return Stop(false);
        }

        steps.AddRange(Handover(root, sources, text.Taken));
        var header = new List<string>
        {
            "yaml-language-server: $schema=/usr/share/ucs-mail-config/mail-policy.schema.json",
            "",
            "Written by 'ucs-mail-config import' from the host as it was. Every value names where it came",
            "from. Review it, then: ucs-mail-config diff THIS-FILE, and apply.",
        };
        var policy = text.Write(header, leftOut);
        var loaded = PolicyLoader.Load(policy);
        errors.AddRange(loaded.Diagnostics.Where(d => d.Severity == Diagnostics.Severity.Error).Select(d => $"the imported policy does not validate: {d.FormatWithoutSeverity("imported policy")}"));
        return new ImportReport(errors.Count > 0 ? null : policy, [.. text.Taken], [.. leftOut], [.. steps], [.. notes], [.. errors], false);
    }

    private static void TakeQueue(PolicyText text, IReadOnlyDictionary<string, string> effective, MainCfSources sources, List<LeftOut> leftOut)
    {
        string[] keys = ["maximal_lifetime", "bounce_lifetime", "delay_warning"];
        foreach (var (entry, key) in Queue.Zip(keys))
        {
            var value = effective.GetValueOrDefault(entry.Parameter, "");
            var source = sources.Of(entry.Parameter);
            // UCS's own default, written by the stock template from an unset or default variable: nothing to carry.
            if (sources.IsUcsDefault(entry, value, source))
            {
                continue;
            }

            if (entry.Parse(value) is DurationValue duration)
            {
                text.Set(["postfix", "queue", key], PolicyText.Str(WithUnit(duration)), source);
            }
            else
            {
                leftOut.Add(new LeftOut($"{entry.Parameter} = {value}", source, "not a time value the policy reads"));
            }
        }
    }

    /// <summary>The policy wants a unit; Postfix reads a bare number in the parameter's own unit.</summary>
    private static string WithUnit(DurationValue duration) =>
        duration.Text == "0" || !char.IsAsciiDigit(duration.Text[^1]) ? duration.Text : duration.Text + duration.UnitlessAs;

    /// <summary>The steps that hand the values over to the policy: what to restore or remove before the first apply.</summary>
    private static IEnumerable<string> Handover(string root, MainCfSources sources, IReadOnlyList<ImportedValue> taken)
    {
        foreach (var template in sources.Modified)
        {
            var package = DpkgConffiles.PackageOf(root, template) ?? "its package";
            yield return $"restore the original {template} (it differs from {package}'s): 'apt-get download {package}' and copy the file out of the .deb ('dpkg-deb --fsys-tarfile {package}_*.deb | tar -xO .{template} > {template}'), or take the .dpkg-dist copy if dpkg left one; then run 'ucs-mail-config apply' with the imported policy, which commits main.cf once, so Postfix never runs without the values";
        }

        foreach (var value in taken.Where(t => t.Source.Kind == MainCfSources.MainCfLocalKind))
        {
            yield return $"remove line {value.Source.Line} of {value.Source.File} ({value.Key} is now in the policy), before the apply";
        }
    }
}
