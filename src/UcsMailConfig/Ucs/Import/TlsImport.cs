// Contract: takes the TLS levels and protocols (effective values and their sources), the
// destinations of our TLS table, the Postfix parameters an earlier ucs-mail-config policy set
// (its fragment's lines and its recorded UCR variables), and Kopano's S/MIME configuration. A
// value UCS writes by default from its own variable is UCS's, not the policy's: not taken.
using UcsMailConfig.Files;
using UcsMailConfig.Policy.Model;
using UcsMailConfig.Policy.Values;
using UcsMailConfig.Rendering;
using UcsMailConfig.Rendering.Derive;
using UcsMailConfig.Ucs.Layout;

namespace UcsMailConfig.Ucs.Import;

internal static class TlsImport
{
    public static void Take(string root, PolicyText text, IReadOnlyDictionary<string, string> effective, MainCfSources sources, List<LeftOut> leftOut)
    {
        void Level<T>(StockUcsParameters.Entry? entry, string parameter, string[] key, Func<string, T?> parse, Func<T, string> spell)
            where T : struct
        {
            var value = effective.GetValueOrDefault(parameter, "");
            var source = sources.Of(parameter);
            if (value.Length == 0 || (entry is not null && sources.IsUcsDefault(entry, value, source)))
            {
                return;
            }

            if (parse(value) is { } parsed)
            {
                text.Set(key, PolicyText.Str(spell(parsed)), source);
            }
            else
            {
                leftOut.Add(new LeftOut($"{parameter} = {value}", source, "the policy has no such choice"));
            }
        }

        TlsProtocol? Protocol(string v) => Enum.GetValues<TlsProtocol>().Cast<TlsProtocol?>().FirstOrDefault(p => OutputSpelling.PostfixAtLeast(p!.Value) == v.Replace(" ", "", StringComparison.Ordinal));
        Level(StockUcsParameters.SmtpTlsSecurityLevel, StockUcsParameters.SmtpTlsSecurityLevel.Parameter, ["tls", "outbound", "level"], PolicySpelling.OutboundTlsLevels.Parse, PolicySpelling.OutboundTlsLevels.Of);
        Level(StockUcsParameters.SmtpTlsMandatoryProtocols, StockUcsParameters.SmtpTlsMandatoryProtocols.Parameter, ["tls", "outbound", "min_protocol"], Protocol, PolicySpelling.TlsProtocols.Of);
        Level(null, StockUcsParameters.InboundTlsLevel, ["tls", "inbound", "level"], PolicySpelling.InboundTlsLevels.Parse, PolicySpelling.InboundTlsLevels.Of);
        Level(StockUcsParameters.SmtpdTlsMandatoryProtocols, StockUcsParameters.SmtpdTlsMandatoryProtocols.Parameter, ["tls", "inbound", "min_protocol"], Protocol, PolicySpelling.TlsProtocols.Of);

        var maps = effective.GetValueOrDefault(StockUcsParameters.SmtpTlsPolicyMaps.Parameter, "");
        var ours = "/" + TemplateCatalog.UcrPath(TemplateCatalog.TlsPolicyMap);
        foreach (var map in new ListValue(maps).Items)
        {
            if (map == "hash:" + ours)
            {
                TakeDestinations(root, ours, text, leftOut);
            }
            else if (map != StockUcsParameters.UcsTlsPolicyMaps)
            {
                leftOut.Add(new LeftOut($"TLS policy table {map}", sources.Of(StockUcsParameters.SmtpTlsPolicyMaps.Parameter), "the policy writes its own table (tls.destinations) beside UCS's; copy its rows there"));
            }
        }
    }

    /// <summary>The parameters an earlier ucs-mail-config policy set through postfix.parameters: its fragment's own lines and its recorded UCR variables.</summary>
    public static void TakeParameters(string root, PolicyText text, UcrLayers layers, MainCfSources sources, bool signs, List<LeftOut> leftOut)
    {
        var handled = new HashSet<string>(StockUcsParameters.MilterParameters.Append(StockUcsParameters.InboundTlsLevel), StringComparer.Ordinal);
        foreach (var (file, name, line, value) in sources.SettingsOf("ucs-mail-config's fragment"))
        {
            // What derive writes by itself for milters and signing, not what a policy set.
            var automatic = RenderModelDeriver.SignatureSafeDelivery.Any(s => s.Name == name && s.Value == value) && signs
                || name == StockContentFilter.MilterMapsParameter && value == StockContentFilter.MilterMapsValue
                || name == StockUcsParameters.DnsSupportLevel && value == "dnssec" && text.Taken.Any(t => t.Key.StartsWith("tls.", StringComparison.Ordinal) && t.Value.Contains("dane", StringComparison.Ordinal));
            if (!handled.Contains(name) && !automatic)
            {
                text.Set(["postfix", "parameters", name], PolicyText.Str(value), new ImportSource(file, line, "ucs-mail-config's fragment"));
            }
        }

        foreach (var name in sources.Recorded)
        {
            if (StockMilterTemplate.IsMilterVariable(name)
                || StockUcsParameters.All.FirstOrDefault(e => e.UcrVariable == name) is not { PolicyKey: null } entry
                || layers.Get(name) is not { } value)
            {
                continue;
            }

            text.Set(["postfix", "parameters", entry.Parameter], PolicyText.Str(value), sources.Variable(name, new ImportSource(null, 0, "unset")));
        }
    }

    public static void TakeSmime(string root, PolicyText text, List<LeftOut> leftOut)
    {
        var file = "/" + TemplateCatalog.UcrPath(TemplateCatalog.KopanoSmimeConfig);
        if (TrustedRead.Lines(root, file.TrimStart('/')).ToArray() is not { Length: > 0 } lines)
        {
            return;
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var match = System.Text.RegularExpressions.Regex.Match(lines[i], @"^\s*define\('(PLUGIN_SMIME_[A-Z_]+)',\s*(.*?)\);");
            if (!match.Success)
            {
                continue;
            }

            var (name, value, source) = (match.Groups[1].Value, match.Groups[2].Value.Trim(), new ImportSource(file, i + 1, "Kopano WebApp's S/MIME configuration"));
            string[] key = ["webapp", "smime"];
            switch (name)
            {
                case "PLUGIN_SMIME_CIPHER":
                    var spelled = value.StartsWith("OPENSSL_CIPHER_", StringComparison.Ordinal) ? value["OPENSSL_CIPHER_".Length..].ToLowerInvariant().Replace('_', '-') : value;
                    if (PolicySpelling.SmimeCiphers.Parse(spelled) is { } cipher)
                    {
                        text.Set([.. key, "cipher"], PolicySpelling.SmimeCiphers.Of(cipher), source);
                    }
                    else
                    {
                        leftOut.Add(new LeftOut($"PLUGIN_SMIME_CIPHER {value}", source, $"the policy offers only {string.Join(", ", PolicySpelling.SmimeCiphers.Texts)}: choose one"));
                    }

                    break;
                case "PLUGIN_SMIME_CACERTS":
                    text.Set([.. key, "ca_certificates"], PolicyText.Flow(value.Trim('\'').Split(';', StringSplitOptions.RemoveEmptyEntries)), source);
                    break;
                case "PLUGIN_SMIME_ENABLE_OCSP" or "PLUGIN_SMIME_PASSPHRASE_REMEMBER_BROWSER" when value is "true" or "false":
                    text.Set([.. key, name == "PLUGIN_SMIME_ENABLE_OCSP" ? "ocsp" : "remember_passphrase"], value, source);
                    break;
            }
        }
    }

    private static void TakeDestinations(string root, string table, PolicyText text, List<LeftOut> leftOut)
    {
        var lines = TrustedRead.Lines(root, table.TrimStart('/')).ToArray();
        for (var i = 0; i < lines.Length; i++)
        {
            var fields = lines[i].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0 || fields[0].StartsWith('#'))
            {
                continue;
            }

            var source = new ImportSource(table, i + 1, "ucs-mail-config's TLS table");
            if (fields.Length == 2 && TlsDestination.TryParse(fields[0], out _) && PolicySpelling.OutboundTlsLevels.Parse(fields[1]) is { } level)
            {
                text.Set(["tls", "destinations", fields[0]], PolicySpelling.OutboundTlsLevels.Of(level), source);
            }
            else
            {
                leftOut.Add(new LeftOut($"TLS table row '{lines[i].Trim()}'", source, "not DESTINATION LEVEL with a level the policy offers"));
            }
        }
    }
}
