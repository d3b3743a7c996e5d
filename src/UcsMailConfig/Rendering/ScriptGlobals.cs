using Scriban.Runtime;

namespace UcsMailConfig.Rendering;

/// <summary>
/// The <see cref="RenderModel"/> as Scriban values, built by hand rather than by reflection so
/// that the binary stays trimmable and AOT-clean. Names are snake_case, as templates read them.
/// </summary>
internal static class ScriptGlobals
{
    public static ScriptObject From(RenderModel model)
    {
        var globals = new ScriptObject
        {
            ["main_cf"] = Array(model.MainCf, s => Object(("title", s.Title), ("settings", Array(s.Settings, p => Object(("name", p.Name), ("value", p.Value)))))),
            ["ucr_variables"] = Array(model.UcrVariables, v => Object(("name", v.Name), ("value", v.Value))),
            ["info"] = Array(model.Info, s => Object(("fields", Array(s.Fields, f => Object(("key", f.Key), ("value", f.Value)))))),
            ["dns_records"] = DnsRecords(model.DnsRecords),
            ["tls_policy_map"] = Array(model.TlsPolicyMap, r => Object(("destination", r.Destination), ("level", r.Level))),
            ["kopano_smime"] = Array(model.KopanoSmime?.Defines ?? [], d => Object(("name", d.Name), ("value", d.Value))),
        };
        if (model.OpenDkim is { } dkim)
        {
            globals["opendkim"] = Object(
                ("settings", Array(dkim.Settings, c => Object(("name", c.Name), ("value", c.Value)))),
                ("key_table", Array(dkim.KeyTable, r => Object(("key_name", r.KeyName), ("domain", r.Domain), ("selector", r.Selector), ("key_path", r.KeyPath)))),
                ("signing_table", Array(dkim.SigningTable, r => Object(("pattern", r.Pattern), ("key_name", r.KeyName)))),
                ("trusted_hosts", Array(dkim.TrustedHosts, h => h)),
                ("internal_hosts", Array(dkim.InternalHosts ?? [], h => h)));
        }

        return globals;
    }

    public static ScriptObject ForDnsRecords(IEnumerable<DnsRecord> records) => new() { ["dns_records"] = DnsRecords(records) };

    private static ScriptArray DnsRecords(IEnumerable<DnsRecord> records) =>
        Array(records, r => Object(
            ("comment", r.Comment),
            ("name", r.Name),
            ("type", DnsRecord.Type),
            ("has_value", r.Value is not null),
            ("value", r.Value ?? ""),
            ("zone_strings", Array(r.ZoneStrings, TxtStrings.Quote))));

    private static ScriptObject Object(params (string Name, object Value)[] members)
    {
        // Sized up front: one object per KeyTable and SigningTable row, so regrowing adds up.
        var result = new ScriptObject(members.Length);
        foreach (var (name, value) in members)
        {
            result.SetValue(name, value, readOnly: true);
        }

        return result;
    }

    private static ScriptArray Array<T>(IEnumerable<T> items, Func<T, object> convert) => new(items.Select(convert));
}
