// Contract: reads OpenDKIM's configuration below a root (/etc/opendkim.conf and the tables it
// names) into the policy text: socket, mode, canonicalization, oversigned headers, trusted and
// internal hosts, the KeyTable/SigningTable rows as domains, selectors (active when a row signs
// with them) and signing rules, and key paths (never key contents; a key our key rules refuse is
// left out, not taken). Contradictions (two different values for one setting, a SigningTable row
// naming a missing KeyTable entry) are errors with FILE:LINE, never guessed. Reads only.
using UcsMailConfig.Dkim;
using UcsMailConfig.Files;
using UcsMailConfig.Policy.Model;
using UcsMailConfig.Policy.Values;
using UcsMailConfig.Rendering.Derive;

namespace UcsMailConfig.Ucs.Import;

internal sealed class OpenDkimImport(string root, PolicyText text, List<LeftOut> leftOut, List<string> errors, List<string> notes)
{
    public const string ConfPath = "/etc/opendkim.conf";

    // Settings our own opendkim.conf writes with fixed values (or, TrustAnchorFile, only verification uses): nothing to take.
    private static readonly HashSet<string> Fixed = new(["syslog", "syslogsuccess", "logwhy", "userid", "umask", "pidfile", "multiplesignatures", "trustanchorfile"], StringComparer.Ordinal);

    private sealed record KeyRow(string Domain, string Selector, string KeyPath, ImportSource Source);

    /// <summary>The domains that got a selector, in the order they were found.</summary>
    public List<string> Domains { get; } = [];

    /// <summary>Reads the configuration; returns OpenDKIM's socket, or null without /etc/opendkim.conf (no DKIM on the host).</summary>
    public MilterSocket? Read()
    {
        if (TrustedRead.Text(root, ConfPath.TrimStart('/')) is not { } conf)
        {
            return null;
        }

        var settings = new Dictionary<string, (string Value, int Line)>(StringComparer.Ordinal);
        var number = 0;
        foreach (var raw in conf.Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries);
            var (key, value) = (parts[0].ToLowerInvariant(), parts.Length > 1 ? parts[1].Trim() : "");
            if (settings.TryGetValue(key, out var earlier) && earlier.Value != value)
            {
                errors.Add($"{ConfPath}:{number}: a second {parts[0]} line ('{value}'; line {earlier.Line} has '{earlier.Value}'): OpenDKIM uses one of them; keep the one you mean and remove the other");
                continue;
            }

            settings[key] = (value, number);
        }

        ImportSource At(string key, string kind = "OpenDKIM's configuration") => new(ConfPath, settings[key].Line, kind);
        var socket = TakeSocket(settings, At);
        TakeChoice(settings, "mode", "sv", v => Enum.GetValues<DkimMode>().Cast<DkimMode?>().FirstOrDefault(m => OutputSpelling.OpenDkim(m!.Value) == v), m => PolicySpelling.DkimModes.Of(m), At);
        TakeChoice(settings, "canonicalization", "simple/simple", v => Enum.GetValues<DkimCanonicalization>().Cast<DkimCanonicalization?>().FirstOrDefault(c => OutputSpelling.OpenDkim(c!.Value) == (v.Contains('/') ? v : v + "/simple")),
            c => PolicySpelling.Canonicalizations.Of(c), At);
        var oversign = settings.TryGetValue("oversignheaders", out var o) ? o.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
        text.Set(["dkim", "oversign_headers"], PolicyText.Flow(oversign), settings.ContainsKey("oversignheaders") ? At("oversignheaders") : new ImportSource(null, 0, "OpenDKIM's default: none"));
        TakeHosts(settings, At);
        TakeKeys(settings, At);
        if (Domains.Count == 0)
        {
            // The policy refuses DKIM without a selector (UMC040); what kept each one out is listed.
            text.Set(["dkim", "enabled"], "false", new ImportSource(ConfPath, 0, "no key OpenDKIM could sign with"));
        }

        foreach (var (key, (value, line)) in settings.Where(s => !Handled.Contains(s.Key)).OrderBy(s => s.Value.Line))
        {
            if (!Fixed.Contains(key))
            {
                leftOut.Add(new LeftOut($"OpenDKIM setting {key} {value}", new ImportSource(ConfPath, line, "OpenDKIM's configuration"), "the policy has no key for it"));
            }
        }

        return socket;
    }

    private static readonly HashSet<string> Handled = new(["socket", "mode", "canonicalization", "oversignheaders", "keytable", "signingtable", "externalignorelist", "internalhosts", "domain", "selector", "keyfile", "subdomains"], StringComparer.Ordinal);

    private MilterSocket? TakeSocket(Dictionary<string, (string Value, int Line)> settings, Func<string, string, ImportSource> at)
    {
        if (!settings.TryGetValue("socket", out var socketSetting))
        {
            leftOut.Add(new LeftOut("OpenDKIM's socket", new ImportSource(ConfPath, 0, "no Socket line"), "OpenDKIM then listens on no milter socket Postfix could name; the policy's default socket is used"));
            return null;
        }

        if (MilterSocketSyntax.FromOpenDkim(socketSetting.Value) is not { } socket)
        {
            leftOut.Add(new LeftOut($"OpenDKIM's Socket {socketSetting.Value}", at("socket", "OpenDKIM's configuration"), $"the policy's dkim.socket is {MilterSocket.Expectation}"));
            return null;
        }

        text.Set(["dkim", "socket"], PolicyText.Str(MilterSocketSyntax.ForPolicy(socket)), at("socket", "OpenDKIM's configuration"));
        return socket;
    }

    private void TakeChoice<T>(Dictionary<string, (string Value, int Line)> settings, string key, string openDkimDefault, Func<string, T?> parse, Func<T, string> spell, Func<string, string, ImportSource> at)
        where T : struct
    {
        var present = settings.TryGetValue(key, out var setting);
        var value = present ? setting.Value : openDkimDefault;
        var source = present ? at(key, "OpenDKIM's configuration") : new ImportSource(null, 0, $"OpenDKIM's default {key} {openDkimDefault}");
        if (parse(value) is { } parsed)
        {
            text.Set(["dkim", key], PolicyText.Str(spell(parsed)), source);
        }
        else
        {
            leftOut.Add(new LeftOut($"OpenDKIM's {key} {value}", source, "the policy offers no such choice"));
        }
    }

    private void TakeHosts(Dictionary<string, (string Value, int Line)> settings, Func<string, string, ImportSource> at)
    {
        List<string>? Rows(string key) => settings.TryGetValue(key, out var s) ? ReadTable(TablePath(s.Value), at(key, "OpenDKIM's configuration"))?.Select(r => r.Text).ToList() : null;
        var external = Rows("externalignorelist");
        var internalRows = Rows("internalhosts");
        var internalSource = settings.ContainsKey("internalhosts") ? at("internalhosts", "OpenDKIM's InternalHosts") : new ImportSource(null, 0, "OpenDKIM's default InternalHosts 127.0.0.1");
        var internalHosts = internalRows ?? ["127.0.0.1"];
        var trusted = external ?? internalHosts;
        var trustedSource = external is not null ? at("externalignorelist", "OpenDKIM's ExternalIgnoreList") : internalSource;
        foreach (var host in trusted.Concat(internalHosts).Where(h => !HostPattern.TryParse(h, out _)).Distinct(StringComparer.Ordinal))
        {
            leftOut.Add(new LeftOut($"host {host}", trustedSource, "not a host, address or network the policy accepts"));
        }

        bool Valid(string h) => HostPattern.TryParse(h, out _);
        text.Set(["dkim", "trusted_hosts"], PolicyText.Flow(trusted.Where(Valid)), trustedSource);
        if (!internalHosts.SequenceEqual(trusted, StringComparer.Ordinal))
        {
            text.Set(["dkim", "internal_hosts"], PolicyText.Flow(internalHosts.Where(Valid)), internalSource);
        }
    }

    private void TakeKeys(Dictionary<string, (string Value, int Line)> settings, Func<string, string, ImportSource> at)
    {
        var keys = new Dictionary<string, KeyRow>(StringComparer.OrdinalIgnoreCase);
        var signing = new List<(string Pattern, string Key, ImportSource Source)>();
        if (settings.TryGetValue("keytable", out var keyTable))
        {
            foreach (var row in ReadTable(TablePath(keyTable.Value), at("keytable", "")) ?? [])
            {
                var fields = row.Text.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries);
                var parts = fields.Length == 2 ? fields[1].Split(':', 3) : [];
                if (parts.Length != 3)
                {
                    errors.Add($"{row.Source.File}:{row.Source.Line}: '{row.Text}' is not a KeyTable row KEYNAME DOMAIN:SELECTOR:KEYFILE");
                    continue;
                }

                keys[fields[0]] = new KeyRow(parts[0].ToLowerInvariant(), parts[1], parts[2], row.Source);
            }
        }
        else if (settings.TryGetValue("domain", out var domain) && settings.TryGetValue("selector", out var selector) && settings.TryGetValue("keyfile", out var keyFile))
        {
            // The single-key style: Domain, Selector and KeyFile instead of tables.
            keys["single"] = new KeyRow(domain.Value.ToLowerInvariant(), selector.Value, keyFile.Value, at("keyfile", "OpenDKIM's configuration"));
            signing.Add(($"*@{domain.Value.ToLowerInvariant()}", "single", at("domain", "OpenDKIM's configuration")));
            if (settings.TryGetValue("subdomains", out var sub) && sub.Value.Equals("yes", StringComparison.OrdinalIgnoreCase))
            {
                signing.Add(($"*@*.{domain.Value.ToLowerInvariant()}", "single", at("subdomains", "OpenDKIM's configuration")));
            }
        }

        if (settings.TryGetValue("signingtable", out var signingTable))
        {
            var refile = signingTable.Value.StartsWith("refile:", StringComparison.Ordinal);
            foreach (var row in ReadTable(TablePath(signingTable.Value), at("signingtable", "")) ?? [])
            {
                var fields = row.Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length != 2)
                {
                    errors.Add($"{row.Source.File}:{row.Source.Line}: '{row.Text}' is not a SigningTable row PATTERN KEYNAME");
                    continue;
                }

                if (!keys.ContainsKey(fields[1]))
                {
                    errors.Add($"{row.Source.File}:{row.Source.Line}: the SigningTable row '{row.Text}' names the key {fields[1]}, which the KeyTable has no row for; OpenDKIM cannot sign with it: add the KeyTable row or remove this one");
                    continue;
                }

                // Without refile: a row is looked up by address or by domain alone.
                var pattern = refile || fields[0].Contains('@', StringComparison.Ordinal) ? fields[0].ToLowerInvariant() : "*@" + fields[0].ToLowerInvariant();
                signing.Add((pattern, fields[1], row.Source));
            }
        }

        TakeSigning(keys, signing);
    }

    private void TakeSigning(Dictionary<string, KeyRow> keys, List<(string Pattern, string Key, ImportSource Source)> signing)
    {
        var openDkim = SystemAccount.Find(SystemAccount.OpenDkim);
        var usable = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
        bool Usable(string name)
        {
            if (!usable.TryGetValue(name, out var ok))
            {
                usable[name] = ok = CheckKey(keys[name], openDkim);
            }

            return ok;
        }

        var active = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (pattern, key, source) in signing.Where(s => s.Pattern == "*@" + keys[s.Key].Domain))
        {
            if (Usable(key) && active.Add(key))
            {
                Selector(keys[key], "active", source);
            }
        }

        foreach (var (pattern, key, source) in signing.Where(s => s.Pattern != "*@" + keys[s.Key].Domain))
        {
            var row = keys[key];
            if (!active.Contains(key))
            {
                leftOut.Add(new LeftOut($"signing row {pattern} {key}", source, $"it signs with selector {row.Selector} of {row.Domain}, which signs no mail of {row.Domain} itself; the policy signs only with a selector that is active for its own domain"));
            }
            else if (pattern == "*@*." + row.Domain)
            {
                text.Set(["domains", row.Domain, "dkim", "subdomains"], "true", source);
            }
            else if (SenderPattern.IsCatchAll(pattern) || !SenderPattern.TryParse(pattern, out _))
            {
                leftOut.Add(new LeftOut($"signing row {pattern} {key}", source, "the policy refuses a catch-all or malformed sender pattern (UMC043, UMC032)"));
            }
            else
            {
                text.Add(["dkim", "signing"], PolicyText.Map([("from", PolicyText.Str(pattern)), ("domain", PolicyText.Str(row.Domain)), ("selector", PolicyText.Str(row.Selector))]), source);
            }
        }

        foreach (var (name, row) in keys.Where(k => !active.Contains(k.Key) && !usable.ContainsKey(k.Key)))
        {
            notes.Add($"{row.Source}: the key {name} is in the KeyTable, but no SigningTable row signs its domain with it: imported as pending");
            Selector(row, "pending", row.Source);
        }
    }

    private void Selector(KeyRow row, string state, ImportSource source)
    {
        if (!DomainName.TryParse(row.Domain, out var domain) || !DkimSelectorName.IsValid(row.Selector))
        {
            leftOut.Add(new LeftOut($"selector {row.Selector} of {row.Domain}", source, "not a domain name and DKIM selector the policy accepts"));
            return;
        }

        var value = new List<(string, string)> { ("state", state) };
        if (row.KeyPath != DkimSelectorName.DefaultKeyPath(KeyFolder.Default, domain, row.Selector))
        {
            value.Add(("key", PolicyText.Str(row.KeyPath)));
        }

        if (!Domains.Contains(row.Domain))
        {
            Domains.Add(row.Domain);
        }

        text.Set(["domains", row.Domain, "dkim", "selectors", row.Selector], PolicyText.Map(value), source);
    }

    /// <summary>Our key rules, as apply uses them: below the key folder, safe folders and file, present. The key's bytes are dropped unread.</summary>
    private bool CheckKey(KeyRow row, SystemAccount? openDkim)
    {
        var what = $"selector {row.Selector} of {row.Domain} (key {row.KeyPath})";
        if (!KeyFolder.IsBelow(KeyFolder.Default, row.KeyPath))
        {
            leftOut.Add(new LeftOut(what, row.Source, $"the key is outside {KeyFolder.Default}, where the policy's keys live (UMC064): move it there (root:opendkim 0750 folders, opendkim:opendkim 0600 key), change the KeyTable row, and import again"));
            return false;
        }

        try
        {
            var content = PrivateKeyFile.Read(root, KeyFolder.Default, row.KeyPath, openDkim);
            if (content is null)
            {
                leftOut.Add(new LeftOut(what, row.Source, "there is no such key file, so OpenDKIM cannot sign with it"));
                return false;
            }

            System.Security.Cryptography.CryptographicOperations.ZeroMemory(content);
            return true;
        }
        catch (DkimKeyException e)
        {
            leftOut.Add(new LeftOut(what, row.Source, e.Message));
            return false;
        }
    }

    private static string TablePath(string value) =>
        value.StartsWith("refile:", StringComparison.Ordinal) ? value["refile:".Length..]
        : value.StartsWith("file:", StringComparison.Ordinal) ? value["file:".Length..]
        : value;

    /// <summary>A table's rows (comments and blank lines skipped) with their lines; null, with an error, when it cannot be read.</summary>
    private List<(string Text, ImportSource Source)>? ReadTable(string file, ImportSource namedAt)
    {
        if (!file.StartsWith('/') || !TrustedRead.Exists(root, file.TrimStart('/')))
        {
            errors.Add($"{namedAt.File}:{namedAt.Line}: the table {file} does not exist below the root; OpenDKIM would refuse to start");
            return null;
        }

        try
        {
            return [.. TrustedRead.Lines(root, file.TrimStart('/')).Select((l, i) => (l.Trim(), new ImportSource(file, i + 1, "OpenDKIM's table")))
                .Where(r => r.Item1.Length > 0 && !r.Item1.StartsWith('#'))];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not UntrustedFileException)
        {
            errors.Add($"{file}:1: cannot read it: {e.Message}");
            return null;
        }
    }
}
