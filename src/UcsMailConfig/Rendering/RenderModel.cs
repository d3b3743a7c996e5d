using System.Collections.Immutable;

namespace UcsMailConfig.Rendering;

/// <summary>
/// Everything the templates print, already decided: which files exist, every line's value,
/// every socket in each program's own syntax. Templates only loop and format.
/// </summary>
public sealed record RenderModel(
    ImmutableArray<string> Templates,
    ImmutableArray<MainCfSection> MainCf,
    OpenDkimConfig? OpenDkim,
    ImmutableArray<UcrVariableSetting> UcrVariables,
    ImmutableArray<InfoStanza> Info,
    ImmutableArray<DnsRecord> DnsRecords);

/// <summary>A commented group of lines in our main.cf fragment.</summary>
public sealed record MainCfSection(string Title, ImmutableArray<PostfixSetting> Settings);

public sealed record PostfixSetting(string Name, string Value);

/// <summary>
/// opendkim.conf as ordered settings, and the tables it names. <see cref="InternalHosts"/> is
/// null when InternalHosts reads the TrustedHosts file.
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

/// <summary>A UCR variable the policy sets.</summary>
public sealed record UcrVariableSetting(string Name, string Value);

/// <summary>One stanza of our .info registration, fields in order.</summary>
public sealed record InfoStanza(ImmutableArray<InfoField> Fields);

public sealed record InfoField(string Key, string Value);
