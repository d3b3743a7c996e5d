using System.Diagnostics;
using System.Text;
using UcsMailConfig.Policy.Values;
using UcsMailConfig.Tests.Apply;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Dkim;

/// <summary>
/// Issue 12 as a hostile local user would try it: the real <c>opendkim</c> user racing keygen's
/// temporary file with a symlink swap, key folders left by the old code (owned by opendkim), and
/// existing keys or folders that others can read or change. Each shows that the attack fails,
/// the refusal names the repair, and nothing on the host changed.
/// </summary>
public sealed class KeyAttackTests : IDisposable
{
    private const string KeyFolder = "etc/opendkim/keys/example.com";

    // Traversable (0755) so that the opendkim and ucsmail-test users reach the folders below it.
    private readonly TempDirectory _root = new("ucsmail-keyattack", parent: Path.Combine(Path.GetTempPath(), "ucsmail-keyattack"));

    public void Dispose() => _root.Dispose();

    [Fact]
    public void An_opendkim_process_swapping_the_temporary_key_for_a_symlink_changes_nothing()
    {
        var first = Keygen("s1");
        Assert.True(first.Exit == 0, first.ToString());
        var folder = _root.Combine(KeyFolder);
        var target = _root.Combine("root-secret");
        File.WriteAllText(target, "root's secret\n");
        File.SetUnixFileMode(target, (UnixFileMode)0b110_100_000);

        using var attacker = new SymlinkSwapper(folder, target);
        var result = Keygen("s2");
        attacker.WaitFor("s2.private");

        Assert.True(result.Exit == 0, result.ToString());
        Assert.Equal("root's secret\n", File.ReadAllText(target));
        Assert.Equal(("root:root", "640", "regular file"), Stat(target));
        Assert.Equal(("opendkim:opendkim", "600", "regular file"), Stat(Path.Combine(folder, "s2.private")));
        Assert.Equal(["s1.private", "s2.private"], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        // The attacker saw the temporary file and tried; every swap failed.
        Assert.Matches(@"refused \.s2\.private\.[0-9A-F]{16}\.tmp", attacker.Output);
        Assert.DoesNotContain("swapped", attacker.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("etc/opendkim", "root:root", "go-w")]
    [InlineData("etc/opendkim/keys", "root:opendkim", "0750")]
    [InlineData(KeyFolder, "root:opendkim", "0750")]
    public void A_folder_the_old_code_gave_to_opendkim_is_refused_with_the_repair_commands(string owned, string repairOwner, string repairMode)
    {
        Directory.CreateDirectory(_root.Combine(KeyFolder));
        Chown("opendkim:opendkim", _root.Combine(owned));
        var before = Tree();

        var result = Keygen("s1");

        Assert.True(result.Exit == 5, result.ToString());
        var path = _root.Combine(owned);
        Assert.Contains($"the folder {path} is owned by opendkim (uid ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"repair it with: chown {repairOwner} {path} && chmod {repairMode} {path}", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, Tree());
    }

    [Fact]
    public void Apply_generate_keys_below_an_old_opendkim_owned_folder_is_refused_before_anything_changed()
    {
        using var host = new ApplySandbox();
        Directory.CreateDirectory(host["etc/opendkim/keys"]);
        Chown("opendkim:opendkim", host["etc/opendkim/keys"]);
        var policy = host.WritePolicy("version: 1\ndomains:\n  example.com:\n    dkim:\n      selectors:\n        s1: {}\n");
        var before = host.Snapshot();

        var (exit, _, err) = host.Apply(policy);

        Assert.True(exit == 5, err);
        Assert.Contains($"repair it with: chown root:opendkim {host["etc/opendkim/keys"]} && chmod 0750 {host["etc/opendkim/keys"]}", err, StringComparison.Ordinal);
        Assert.Equal(before, host.Snapshot());
        Assert.Empty(Directory.GetFileSystemEntries(host["etc/opendkim/keys"]));
    }

    [Fact]
    public void One_unsafe_key_folder_stops_apply_before_any_key_of_the_policy_is_made()
    {
        using var host = new ApplySandbox();
        Directory.CreateDirectory(host["etc/opendkim/keys/example.net"]);
        Chown("opendkim:opendkim", host["etc/opendkim/keys/example.net"]);
        var policy = host.WritePolicy("version: 1\ndomains:\n  example.com:\n    dkim:\n      selectors:\n        s1: {}\n  example.net:\n    dkim:\n      selectors:\n        s1: {}\n");
        var before = host.Snapshot();

        var (exit, _, err) = host.Apply(policy);

        Assert.True(exit == 5, err);
        Assert.Contains($"the folder {host["etc/opendkim/keys/example.net"]} is owned by opendkim", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(host["etc/opendkim/keys/example.com"]));
        Assert.Equal(before, host.Snapshot());
    }

    /// <summary>(what is wrong, how to make it so, the words the refusal uses, the repair it names: {key} is the key, {dir} its folder).</summary>
    public static TheoryData<string, string, string, string> UnsafeKeys => new()
    {
        { "group-readable", "chmod 0640 {key}", "has mode 0640", "chown opendkim:opendkim {key} && chmod 0600 {key}" },
        { "world-readable", "chmod 0604 {key}", "has mode 0604", "chown opendkim:opendkim {key} && chmod 0600 {key}" },
        { "owned by a user", "chown ucsmail-test {key}", "is owned by ucsmail-test (uid ", "chown opendkim:opendkim {key} && chmod 0600 {key}" },
        { "a symlink", "mv {key} {key}.real && ln -s {key}.real {key}", "is a symlink", "cp --remove-destination \"$(readlink -f {key})\" {key} && chown opendkim:opendkim {key} && chmod 0600 {key}" },
        { "in a group-writable folder", "chmod 0770 {dir}", "is writable by its group or others", "chown root:opendkim {dir} && chmod 0750 {dir}" },
        { "in a user's folder", "chown ucsmail-test {dir}", "is owned by ucsmail-test (uid ", "chown root:opendkim {dir} && chmod 0750 {dir}" },
    };

    [Theory]
    [MemberData(nameof(UnsafeKeys))]
    public void Apply_refuses_an_existing_key_that_others_could_read_or_change(string what, string make, string reason, string repair)
    {
        using var host = new ApplySandbox();
        var policy = host.WritePolicy("version: 1\ndomains:\n  example.com:\n    dkim:\n      selectors:\n        s1: {}\n");
        host.CreateKeys(policy);
        var key = host["etc/opendkim/keys/example.com/s1.private"];
        var folder = Path.GetDirectoryName(key)!;
        string Fill(string text) => text.Replace("{key}", key, StringComparison.Ordinal).Replace("{dir}", folder, StringComparison.Ordinal);
        ExternalProgram.Check("sh", ["-c", Fill(make)]);
        var before = host.Snapshot();
        var keyBefore = Stat(key);

        var (exit, _, err) = host.Apply(policy);

        Assert.True(exit == 5, $"{what}: {err}");
        Assert.Contains(reason, err, StringComparison.Ordinal);
        Assert.Contains(Fill(repair), err, StringComparison.Ordinal);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("UMC065", StringComparison.Ordinal) || l.Contains(reason, StringComparison.Ordinal));
        Assert.Equal(before, host.Snapshot());
        Assert.Equal(keyBefore, Stat(key));
    }

    [Fact]
    public void Apply_generate_keys_makes_folders_root_owned_and_gives_opendkim_only_its_key()
    {
        using var host = new ApplySandbox();
        var policy = host.WritePolicy("version: 1\ndkim:\n  key_folder: /srv/dkim\ndomains:\n  example.com:\n    dkim:\n      selectors:\n        s1: {}\n");

        var (exit, stdout, err) = host.Apply(policy);

        Assert.True(exit == 0, stdout + err);
        Assert.Equal(("root:root", "755", "directory"), Stat(host["srv"]));
        Assert.Equal(("root:opendkim", "750", "directory"), Stat(host["srv/dkim"]));
        Assert.Equal(("root:opendkim", "750", "directory"), Stat(host["srv/dkim/example.com"]));
        Assert.Equal(("opendkim:opendkim", "600", "regular file"), Stat(host["srv/dkim/example.com/s1.private"]));
        Assert.Contains("example.com:s1:/srv/dkim/example.com/s1.private", File.ReadAllText(host["etc/opendkim/KeyTable"]), StringComparison.Ordinal);
        Assert.Equal("root:root", Stat(host["etc/opendkim"]).Owner);
    }

    [Fact]
    public void A_root_owned_0600_key_is_used()
    {
        using var host = new ApplySandbox();
        var policy = host.WritePolicy("version: 1\ndomains:\n  example.com:\n    dkim:\n      selectors:\n        s1: {}\n");
        host.CreateKeys(policy);
        Chown("root:root", host["etc/opendkim/keys/example.com/s1.private"]);

        var (exit, stdout, err) = host.Apply(policy);

        Assert.True(exit == 0, stdout + err);
    }

    private CliResult Keygen(string selector) =>
        CliRun.Run("dkim", "keygen", "--domain", "example.com", "--selector", selector, "--root", _root.Path);

    private IReadOnlyList<string> Tree() =>
        [.. Directory.EnumerateFileSystemEntries(_root.Path, "*", SearchOption.AllDirectories)
            .Select(p => $"{Path.GetRelativePath(_root.Path, p)} {Stat(p)}").Order(StringComparer.Ordinal)];

    private static void Chown(string owner, string path) => ExternalProgram.Check("chown", [owner, path]);

    private static (string Owner, string Mode, string Type) Stat(string path)
    {
        var fields = ExternalProgram.Check("stat", ["-c", "%U:%G|%a|%F", path]).StdOut.Trim().Split('|');
        return (fields[0], fields[1], fields[2]);
    }

    /// <summary>
    /// The attacker: as the opendkim user, inotifywait on the key folder, and for every name
    /// created there an immediate <c>ln -sf</c> of the root-owned target over it.
    /// </summary>
    private sealed class SymlinkSwapper : IDisposable
    {
        private const string Script = """
            inotifywait -m -e create -e moved_to --format '%f' "$1" 2>&1 | while IFS= read -r name; do
              case "$name" in
                "Setting up watches."*|"Watches established."*) echo "$name"; continue ;;
              esac
              if ln -sf "$2" "$1/$name" 2>/dev/null; then echo "swapped $name"; else echo "refused $name"; fi
            done
            """;

        private readonly Process _process;
        private readonly StringBuilder _output = new();

        public SymlinkSwapper(string folder, string target)
        {
            var start = new ProcessStartInfo("runuser") { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var arg in new[] { "-u", "opendkim", "--", "bash", "-c", Script, "attacker", folder, target })
            {
                start.ArgumentList.Add(arg);
            }

            _process = Process.Start(start)!;
            _process.OutputDataReceived += (_, line) =>
            {
                lock (_output)
                {
                    _output.AppendLine(line.Data);
                }
            };
            _process.BeginOutputReadLine();
            WaitFor("Watches established.");
        }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public void WaitFor(string text) =>
            Poll.Until(() => Output.Contains(text, StringComparison.Ordinal), TimeSpan.FromSeconds(30), () => $"the attacker did not report '{text}'; it said:\n{Output}");

        public void Dispose()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
            _process.Dispose();
        }
    }
}
