using System.Collections.Immutable;
using UcsMailConfig.Dns;
using UcsMailConfig.Policy.Values;
using UcsMailConfig.Ucs.Layout;

namespace UcsMailConfig.Rendering.Derive;

/// <summary>
/// Everything the templates print, already decided: which files exist, every line's value,
/// every socket in each program's own syntax. Templates only loop and format.
/// <see cref="HashTables"/> are generated files (absolute paths) that Postfix reads as
/// <c>hash:</c> tables, so <c>postmap</c> must compile them after UCR writes them.
/// </summary>
public sealed record RenderModel(
    ImmutableArray<string> Templates,
    ImmutableArray<MainCfSection> MainCf,
    OpenDkimConfig? OpenDkim,
    ImmutableArray<UcrVariableSetting> UcrVariables,
    ImmutableArray<InfoStanza> Info,
    ImmutableArray<DnsRecord> DnsRecords,
    ImmutableArray<TlsPolicyRow> TlsPolicyMap,
    ImmutableArray<string> HashTables,
    KopanoSmimeConfig? KopanoSmime)
{
    /// <summary>The policy file the generated files' headers name.</summary>
    public PolicyFileName PolicyFile { get; init; } = PolicyFileName.Default;
}

/// <summary>A commented group of lines in our main.cf fragment.</summary>
public sealed record MainCfSection(string Title, ImmutableArray<PostfixSetting> Settings);

public sealed record PostfixSetting(string Name, string Value);

/// <summary>
/// opendkim.conf as ordered settings, and the tables it names. <see cref="TrustedHosts"/> and
/// <see cref="InternalHosts"/> are the files' lines (hosts, and comments starting with <c>#</c>);
/// <see cref="InternalHosts"/> is null when InternalHosts reads the TrustedHosts file.
/// </summary>
public sealed record OpenDkimConfig(
    ImmutableArray<ConfigSetting> Settings,
    ImmutableArray<KeyTableRow> KeyTable,
    ImmutableArray<SigningTableRow> SigningTable,
    ImmutableArray<string> TrustedHosts,
    ImmutableArray<string>? InternalHosts);

public sealed record ConfigSetting(string Name, string Value);

/// <summary>A KeyTable line: <c>KEYNAME DOMAIN:SELECTOR:KEYPATH</c>.</summary>
public sealed record KeyTableRow(string KeyName, string Domain, string Selector, string KeyPath);

/// <summary>A SigningTable line (refile): <c>SENDERPATTERN KEYNAME</c>.</summary>
public sealed record SigningTableRow(string Pattern, string KeyName);

/// <summary>
/// A UCR variable the policy sets: the stock parameter it feeds and the typed value, so that
/// plan and apply compare and check it without looking anything up by name or parsing it again.
/// </summary>
public sealed record UcrVariableSetting(StockUcsParameters.Entry Parameter, PostfixValue Value)
{
    public string Name => Parameter.UcrVariable!;
}

/// <summary>One stanza of our .info registration, fields in order.</summary>
public sealed record InfoStanza(ImmutableArray<InfoField> Fields);

public sealed record InfoField(string Key, string Value);

/// <summary>A line of the TLS policy table: <c>DESTINATION LEVEL</c>.</summary>
public sealed record TlsPolicyRow(string Destination, string Level);

/// <summary>config-smime.php as PHP constant definitions; each value is already a PHP literal or constant name.</summary>
public sealed record KopanoSmimeConfig(ImmutableArray<PhpDefine> Defines);

public sealed record PhpDefine(string Name, string Value);
