using System.Text.Json;
using UcsMailConfig.Cli;
using UcsMailConfig.Diagnostics;
using UcsMailConfig.Tests.Apply;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Cli;

/// <summary>
/// What an admin at the console sees (issue 18): apply's progress on stderr and --quiet, a
/// summary or the whole diff, colour only where asked for, one zone's records, readable JSON,
/// headers that name the real policy file, and a folder refused as a policy.
/// </summary>
public sealed class ConsoleOutputTests
{
    [Fact]
    public void Apply_reports_each_step_on_stderr_in_order_and_a_line_per_file_on_stdout()
    {
        using var host = new ApplySandbox();
        host.CreateKeys(ApplySandbox.Example("single-domain"));

        var result = host.Apply(ApplySandbox.Example("single-domain"));

        Assert.True(result.Exit == 0, result.Out + result.Err);
        var steps = result.Err.Split('\n').Where(l => l.StartsWith("apply: ", StringComparison.Ordinal)).ToList();
        string[] expected =
        [
            "apply: comparing the policy's files", "apply: checking the change on a staging copy", "apply: backing up",
            "apply: writing /etc/univention/templates/files/etc/postfix/main.cf.d/90_ucs-mail-config", "apply: ucr register ucs-mail-config",
            "apply: ucr commit ", "apply: checking the committed configuration", "apply: checking that Postfix and OpenDKIM now run",
            "apply: reloading what changed", "apply: recording the new state",
        ];
        var at = expected.Select(e => steps.FindIndex(s => s.StartsWith(e, StringComparison.Ordinal))).ToList();
        Assert.True(at.All(i => i >= 0) && at.SequenceEqual(at.Order()), string.Join('\n', steps));
        Assert.Contains("create /etc/univention/templates/files/etc/postfix/main.cf.d/90_ucs-mail-config (+", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("@@", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_step_is_the_last_one_reported_before_the_rollback()
    {
        using var host = new ApplySandbox();
        host.CreateKeys(ApplySandbox.Example("single-domain"));
        var ucr = host.WriteStub("ucr", $"UCR_FIXTURE_FAIL=commit exec {host.UcrProgram} \"$@\"");

        var result = host.Apply(ApplySandbox.Example("single-domain"), "--ucr", ucr);

        Assert.Equal(3, result.Exit);
        var steps = result.Err.Split('\n').Where(l => l.StartsWith("apply: ", StringComparison.Ordinal)).ToList();
        Assert.StartsWith("apply: ucr commit ", steps[^2], StringComparison.Ordinal);
        Assert.StartsWith("apply: putting every file and UCR variable back", steps[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Quiet_keeps_only_warnings_and_errors_and_json_is_unchanged()
    {
        using var host = new ApplySandbox();
        host.CreateKeys(ApplySandbox.Example("single-domain"));

        var quiet = host.Apply(ApplySandbox.Example("single-domain"), "--quiet");
        var json = host.Apply(ApplySandbox.Example("single-domain"), "--quiet", "--json");

        Assert.True(quiet.Exit == 0, quiet.Out + quiet.Err);
        Assert.Equal("", quiet.Out);
        Assert.DoesNotContain("apply: ", quiet.Err, StringComparison.Ordinal);
        Assert.Equal(0, json.Exit);
        Assert.Equal("unchanged", JsonDocument.Parse(json.Out).RootElement.GetProperty("outcome").GetString());
    }

    [Fact]
    public void Apply_diff_prints_the_whole_diff()
    {
        using var host = new ApplySandbox();
        host.CreateKeys(ApplySandbox.Example("single-domain"));

        var result = host.Apply(ApplySandbox.Example("single-domain"), "--check", "--diff");

        Assert.Equal(2, result.Exit);
        Assert.Contains("+++ b/etc/univention/templates/files/etc/postfix/main.cf.d/90_ucs-mail-config\n", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("\e[", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("always", false, false, true)]
    [InlineData("always", true, true, true)]
    [InlineData("never", true, false, false)]
    [InlineData("auto", false, false, false)]
    [InlineData("auto", true, false, true)]
    [InlineData("auto", true, true, false)]
    public void Diff_colours_only_on_a_terminal_without_NO_COLOR_unless_told(string color, bool terminal, bool noColor, bool coloured)
    {
        using var host = new ApplySandbox();
        host.CreateKeys(ApplySandbox.Example("single-domain"));
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = CliApp.Run(["diff", ApplySandbox.Example("single-domain"), .. host.HostArguments(["--color", color])],
            new Terminal(TextReader.Null, stdout, stderr) { OutIsTerminal = terminal, NoColor = noColor });

        Assert.True(exit == 2, stderr.ToString());
        Assert.Equal(coloured, stdout.ToString().Contains("\e[32m+", StringComparison.Ordinal));
        Assert.Equal(coloured, stdout.ToString().Contains("\e[1m+++ b/", StringComparison.Ordinal));
        Assert.Contains("ucr commit", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Dns_domain_prints_one_zone_with_relative_names()
    {
        using var policy = new KeyedPolicy("""
            version: 1
            domains:
              example.com:
                spf: {mechanisms: [mx]}
                dmarc: {policy: none}
                dkim:
                  selectors:
                    s1: {}
              example.org:
                spf: {mechanisms: [mx]}
            """);

        var zone = CliRun.Run("dns", policy.PolicyPath, "--root", policy.Root, "--domain", "example.com");
        var json = CliRun.Run("dns", policy.PolicyPath, "--root", policy.Root, "--domain", "example.org", "--format", "json");
        var unknown = CliRun.Run("dns", policy.PolicyPath, "--root", policy.Root, "--domain", "example.net");

        Assert.True(zone.Exit == 0, zone.ToString());
        var owners = zone.Stdout.Split('\n').Where(l => l.Contains(" IN TXT ", StringComparison.Ordinal)).Select(l => l.Split(' ')[0]).ToList();
        Assert.Equal(["@", "_dmarc", "s1._domainkey"], owners.Order(StringComparer.Ordinal));
        Assert.DoesNotContain("example.org", zone.Stdout, StringComparison.Ordinal);
        Assert.Equal(["example.org"], JsonDocument.Parse(json.Stdout).RootElement.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        Assert.Equal(1, unknown.Exit);
        Assert.Contains("--domain: example.net is not a domain of", unknown.Stderr, StringComparison.Ordinal);
        Assert.Contains("it has example.com, example.org", unknown.Stderr, StringComparison.Ordinal);
        Assert.Equal("", unknown.Stdout);
    }

    [Fact]
    public void Json_keeps_plus_and_html_characters_and_escapes_control_characters()
    {
        Assert.Equal("[\"p=ab+cd/ef==\",\"<a href='x'>&</a>\",\"\\u001B[2J\",\"\\\"\\\\\"]", JsonOutput.Write<string[]>(["p=ab+cd/ef==", "<a href='x'>&</a>", "\e[2J", "\"\\"], TestJsonContext.Default.StringArray));
    }

    [Fact]
    public void Dns_json_writes_the_key_as_the_plain_form_does()
    {
        using var policy = new KeyedPolicy();

        var json = CliRun.Run("dns", policy.PolicyPath, "--root", policy.Root, "--format", "json");
        var plain = CliRun.Run("dns", policy.PolicyPath, "--root", policy.Root, "--format", "plain");

        Assert.DoesNotContain("\\u00", json.Stdout, StringComparison.Ordinal);
        var dkim = JsonDocument.Parse(json.Stdout).RootElement.GetProperty("records").EnumerateArray().Single(r => r.GetProperty("kind").GetString() == "dkim");
        Assert.Contains(dkim.GetProperty("value").GetString()!, plain.Stdout, StringComparison.Ordinal);
        Assert.Contains($"\"value\": \"{dkim.GetProperty("value").GetString()}\"", json.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cubewerk-policy.yaml", "cubewerk-policy.yaml")]
    [InlineData("a@!@b.yaml", "a?!?b.yaml")]
    public void Generated_headers_name_the_policy_file(string fileName, string shown)
    {
        using var temp = new TempDirectory();
        var policy = temp.Combine(fileName);
        File.Copy(ApplySandbox.Example("single-domain"), policy);

        var result = CliRun.Run("render", policy, "--out", temp.Combine("out"));

        Assert.True(result.Exit == 0, result.ToString());
        foreach (var file in new[] { "etc/postfix/main.cf.d/90_ucs-mail-config", "etc/opendkim.conf" })
        {
            var text = File.ReadAllText(temp.Combine($"out/etc/univention/templates/files/{file}"));
            Assert.Contains($"Generated by ucs-mail-config from {shown}", text, StringComparison.Ordinal);
            Assert.DoesNotContain("mail-policy.yaml", text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("validate")]
    [InlineData("diff")]
    [InlineData("apply")]
    [InlineData("dns")]
    [InlineData("dns check")]
    [InlineData("dkim rotate --domain example.com --policy")]
    public void A_folder_as_the_policy_says_so_and_exits_1(string command)
    {
        using var temp = new TempDirectory();
        var folder = Directory.CreateDirectory(temp.Combine("policies")).FullName;

        var result = CliRun.Run([.. command.Split(' '), folder, .. command == "validate" ? Array.Empty<string>() : ["--root", temp.Combine("root")]]);

        Assert.Equal(1, result.Exit);
        Assert.StartsWith($"{folder}: error: is a folder, not a policy file", result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(Directory.Exists(temp.Combine("root")));
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string[]))]
internal sealed partial class TestJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
