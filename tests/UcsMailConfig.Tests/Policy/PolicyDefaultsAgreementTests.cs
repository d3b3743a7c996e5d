using System.Text.Json;
using System.Text.Json.Nodes;
using UcsMailConfig.Policy;
using UcsMailConfig.Policy.Model;
using UcsMailConfig.Policy.Validate;
using UcsMailConfig.Policy.Values;

namespace UcsMailConfig.Tests.Policy;

/// <summary>
/// What the binder applies when a key is left out is what the JSON Schema's <c>default</c>
/// keywords promise editors: a policy that leaves every defaulted key out is bound, and each
/// default in the generated schema is compared with the value the model got.
/// </summary>
public sealed class PolicyDefaultsAgreementTests
{
    // Every section with a defaulted key is there, and leaves those keys out.
    private const string Minimal = """
        version: 1
        postfix:
          milters:
            chain:
              - name: spam
                socket: 127.0.0.1:11332
        dkim: {}
        domains:
          example.com:
            dkim:
              selectors:
                s1:
                  key: /etc/opendkim/keys/example.com/s1.private
            spf:
              mechanisms: [mx]
            dmarc:
              policy: none
        webapp:
          smime: {}
        """;

    // Schema path (properties by name, [] for list items, * for map values) → the bound value.
    private static readonly Dictionary<string, Func<MailPolicy, object>> Bound = new()
    {
        ["postfix.milters.default_action"] = p => PolicySpelling.MilterActions.Of(p.Postfix.Milters.DefaultAction),
        ["postfix.milters.protocol"] = p => p.Postfix.Milters.Protocol,
        ["postfix.milters.chain[].applies_to"] = p => Stages(p.Postfix.Milters.Chain.Single(m => m.Name == "spam")),
        ["dkim.enabled"] = p => p.Dkim.Enabled,
        ["dkim.socket"] = p => p.Dkim.Socket,
        ["dkim.canonicalization"] = p => PolicySpelling.Canonicalizations.Of(p.Dkim.Canonicalization),
        ["dkim.mode"] = p => PolicySpelling.DkimModes.Of(p.Dkim.Mode),
        ["dkim.key_folder"] = p => p.Dkim.KeyFolder,
        ["dkim.sign_mynetworks"] = p => p.Dkim.SignMynetworks,
        ["dkim.trusted_hosts"] = p => p.Dkim.TrustedHosts.Select(h => h.Text).ToArray(),
        ["dkim.oversign_headers"] = p => p.Dkim.OversignHeaders.ToArray(),
        ["domains.*.dkim.selectors.*.state"] = p => PolicySpelling.SelectorStates.Of(p.Domains[0].Dkim!.Selectors[0].State),
        ["domains.*.dkim.subdomains"] = p => p.Domains[0].Dkim!.Subdomains,
        ["domains.*.spf.all"] = p => PolicySpelling.SpfAllResults.Of(p.Domains[0].Spf!.All),
        ["domains.*.dmarc.percent"] = p => p.Domains[0].Dmarc!.Percent,
        ["domains.*.dmarc.adkim"] = p => PolicySpelling.DmarcAlignments.Of(p.Domains[0].Dmarc!.DkimAlignment),
        ["domains.*.dmarc.aspf"] = p => PolicySpelling.DmarcAlignments.Of(p.Domains[0].Dmarc!.SpfAlignment),
        ["webapp.smime.cipher"] = p => PolicySpelling.SmimeCiphers.Of(p.Smime!.Cipher),
        ["webapp.smime.ca_certificates"] = p => p.Smime!.CaCertificates.ToArray(),
        ["webapp.smime.ocsp"] = p => p.Smime!.Ocsp,
        ["webapp.smime.remember_passphrase"] = p => p.Smime!.RememberPassphrase,
    };

    [Fact]
    public void Every_schema_default_is_what_the_binder_applies()
    {
        var result = PolicyLoader.Load(Minimal);
        Assert.True(result.IsValid, string.Join('\n', result.Diagnostics));
        var defaults = new Dictionary<string, JsonNode>();
        Collect(JsonNode.Parse(JsonSchemaWriter.Write())!, "", defaults);

        // A default added to the schema without a line above fails here, so none goes unchecked.
        Assert.Equal(Bound.Keys.Order(StringComparer.Ordinal), defaults.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, read) in Bound)
        {
            var bound = read(result.Policy!);
            if (bound is MilterSocket socket)
            {
                Assert.True(MilterSocket.TryParse(defaults[path].GetValue<string>(), out var schemaSocket), path);
                Assert.Equal(schemaSocket, socket);
            }
            else
            {
                Assert.True(JsonNode.DeepEquals(defaults[path], JsonSerializer.SerializeToNode(bound)), $"{path}: schema default {defaults[path].ToJsonString()}, binder {JsonSerializer.Serialize(bound)}");
            }
        }
    }

    private static string[] Stages(MilterEntry milter) =>
        [.. new[] { (milter.Smtpd, MilterStage.Smtpd), (milter.NonSmtpd, MilterStage.NonSmtpd) }.Where(s => s.Item1).Select(s => PolicySpelling.MilterStages.Of(s.Item2))];

    private static void Collect(JsonNode node, string path, Dictionary<string, JsonNode> defaults)
    {
        if (node is not JsonObject shape)
        {
            return;
        }

        if (shape["default"] is { } value)
        {
            defaults.Add(path, value);
        }

        foreach (var (name, property) in shape["properties"] as JsonObject ?? [])
        {
            Collect(property!, path.Length == 0 ? name : $"{path}.{name}", defaults);
        }

        if (shape["items"] is { } items)
        {
            Collect(items, path + "[]", defaults);
        }

        if (shape["additionalProperties"] is JsonObject values)
        {
            Collect(values, path + ".*", defaults);
        }
    }
}
