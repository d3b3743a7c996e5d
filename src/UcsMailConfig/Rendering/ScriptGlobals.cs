using Scriban.Runtime;
using UcsMailConfig.Dns;
using UcsMailConfig.Policy.Values;
using UcsMailConfig.Rendering.Derive;

namespace UcsMailConfig.Rendering;

/// <summary>
/// The <see cref="RenderModel"/> as Scriban values, built by hand rather than by reflection so
/// that the binary stays trimmable and AOT-clean. Names are snake_case, as templates read them.
/// Lists are made row by row while a template loops over them, so the rows of a large policy
/// never all exist at once.
/// </summary>
internal static class ScriptGlobals
{
    private static readonly object True = true;
    private static readonly object False = false;

    private static readonly ScriptRow<PostfixSetting>.Member[] SettingMembers = [new("name", p => p.Name), new("value", p => p.Value)];

    private static readonly ScriptRow<MainCfSection>.Member[] SectionMembers =
        [new("title", s => s.Title), new("settings", s => Rows(s.Settings, SettingMembers))];

    private static readonly ScriptRow<UcrVariableSetting>.Member[] UcrVariableMembers = [new("name", v => v.Name), new("value", v => v.Value.Text)];

    private static readonly ScriptRow<InfoField>.Member[] FieldMembers = [new("key", f => f.Key), new("value", f => f.Value)];

    private static readonly ScriptRow<InfoStanza>.Member[] StanzaMembers = [new("fields", s => Rows(s.Fields, FieldMembers))];

    private static readonly ScriptRow<TlsPolicyRow>.Member[] TlsPolicyMembers = [new("destination", r => r.Destination), new("level", r => r.Level)];

    private static readonly ScriptRow<PhpDefine>.Member[] DefineMembers = [new("name", d => d.Name), new("value", d => d.Value)];

    private static readonly ScriptRow<ConfigSetting>.Member[] ConfigMembers = [new("name", c => c.Name), new("value", c => c.Value)];

    private static readonly ScriptRow<KeyTableRow>.Member[] KeyTableMembers =
        [new("key_name", r => r.KeyName), new("domain", r => r.Domain), new("selector", r => r.Selector), new("key_path", r => r.KeyPath)];

    private static readonly ScriptRow<SigningTableRow>.Member[] SigningTableMembers = [new("pattern", r => r.Pattern), new("key_name", r => r.KeyName)];

    // The owner name as a zone file writes it: absolute, or relative to the one zone printed.
    private static ScriptRow<DnsRecord>.Member[] DnsRecordMembers(DomainName? zone) =>
    [
        new("comment", r => r.Comment),
        new("name", r => r.Name),
        new("owner", r => r.OwnerIn(zone)),
        new("has_value", r => r.Value is null ? False : True),
        new("value", r => r.Value ?? ""),
        new("zone_value", r => r.ZoneValue),
    ];

    public static ScriptObject From(RenderModel model)
    {
        var globals = ForDnsRecords(model.DnsRecords);
        globals["policy_file"] = model.PolicyFile.Value;
        globals["main_cf"] = Rows(model.MainCf, SectionMembers);
        globals["ucr_variables"] = Rows(model.UcrVariables, UcrVariableMembers);
        globals["info"] = Rows(model.Info, StanzaMembers);
        globals["tls_policy_map"] = Rows(model.TlsPolicyMap, TlsPolicyMembers);
        globals["kopano_smime"] = Rows(model.KopanoSmime?.Defines ?? [], DefineMembers);
        if (model.OpenDkim is { } dkim)
        {
            var opendkim = new ScriptObject(5);
            opendkim.SetValue("settings", Rows(dkim.Settings, ConfigMembers), readOnly: true);
            opendkim.SetValue("key_table", Rows(dkim.KeyTable, KeyTableMembers), readOnly: true);
            opendkim.SetValue("signing_table", Rows(dkim.SigningTable, SigningTableMembers), readOnly: true);
            opendkim.SetValue("trusted_hosts", new ScriptArray(dkim.TrustedHosts), readOnly: true);
            opendkim.SetValue("internal_hosts", new ScriptArray(dkim.InternalHosts ?? []), readOnly: true);
            globals["opendkim"] = opendkim;
        }

        return globals;
    }

    /// <summary>What the DNS form templates read; render's globals start from it. With <paramref name="zone"/>, names are relative to it.</summary>
    public static ScriptObject ForDnsRecords(IReadOnlyCollection<DnsRecord> records, DomainName? zone = null) => new()
    {
        ["dns_records"] = Rows(records, DnsRecordMembers(zone)),
        ["zone"] = zone?.Value ?? "",
        ["records_without_key"] = records.Any(r => r.Value is null),
    };

    private static IEnumerable<object> Rows<T>(IEnumerable<T> rows, ScriptRow<T>.Member[] members) =>
        rows.Select(row => (object)new ScriptRow<T>(row, members));
}
