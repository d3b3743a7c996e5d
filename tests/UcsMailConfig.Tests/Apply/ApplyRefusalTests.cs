using System.Text.Json;

namespace UcsMailConfig.Tests.Apply;

/// <summary>
/// Refusals before anything changes exit 5 with one line that says what to do, and diff and
/// apply --check predict them with the same message and code. Policy warnings reach stderr and
/// --json's warnings.
/// </summary>
public sealed class ApplyRefusalTests
{
    [Theory]
    [InlineData("--postmap", "postmap", "UCSMAIL_POSTMAP")]
    [InlineData("--ucr", "ucr", "UCSMAIL_UCR")]
    [InlineData("--opendkim", "opendkim", "UCSMAIL_OPENDKIM")]
    [InlineData("--systemctl", "systemctl", "UCSMAIL_SYSTEMCTL")]
    public void A_missing_program_is_refused_before_anything_is_written(string option, string program, string variable)
    {
        using var host = new ApplySandbox();
        var before = host.Snapshot();
        var invocations = host.UcrInvocations().Count;
        var missing = Path.Combine(host.Root, "no-such-folder", program);

        var result = host.Cli(["apply", ApplySandbox.Example("single-domain"), .. HostArguments(host, option, missing)]);

        Assert.True(result.Exit == 5, $"{result.Out}\n{result.Err}");
        Assert.Equal($"error: apply needs {program}, but {missing} is not an executable file; install it, or point {option} or {variable} at it. Nothing was changed\n", result.Err);
        Assert.Equal(before, host.Snapshot());
        Assert.False(Directory.Exists(host["var/lib/ucs-mail-config"]), "the refused apply created its own folder");
        Assert.Equal(invocations, host.UcrInvocations().Count);
    }

    [Fact]
    public void A_program_named_without_a_folder_is_looked_up_in_PATH_and_a_file_that_is_not_executable_counts_as_missing()
    {
        using var host = new ApplySandbox();
        var notExecutable = host.WritePolicy("#!/bin/sh\n");

        var bare = host.Cli(["apply", ApplySandbox.Example("queue-only"), .. HostArguments(host, "--postfix", "ucsmail-no-such-program")]);
        var plain = host.Cli(["apply", ApplySandbox.Example("queue-only"), .. HostArguments(host, "--postqueue", notExecutable)]);
        var found = host.Cli(["apply", ApplySandbox.Example("queue-only"), .. HostArguments(host, "--systemctl", "false")]);

        Assert.Equal(5, bare.Exit);
        Assert.Contains("apply needs postfix, but ucsmail-no-such-program is not an executable file", bare.Err, StringComparison.Ordinal);
        Assert.Equal(5, plain.Exit);
        Assert.Contains($"apply needs postqueue, but {notExecutable} is not an executable file", plain.Err, StringComparison.Ordinal);
        Assert.True(found.Exit == 0, found.Out + found.Err);
    }

    [Fact]
    public void Diff_and_check_refuse_a_missing_program_like_apply()
    {
        using var host = new ApplySandbox();
        var missing = Path.Combine(host.Root, "no-such-folder", "postmap");
        var arguments = HostArguments(host, "--postmap", missing);

        var apply = host.Cli(["apply", ApplySandbox.Example("single-domain"), .. arguments]);
        var check = host.Cli(["apply", ApplySandbox.Example("single-domain"), "--check", .. arguments]);
        var diff = host.Cli(["diff", ApplySandbox.Example("single-domain"), .. arguments]);

        Assert.Equal([5, 5, 5], new[] { apply.Exit, check.Exit, diff.Exit });
        Assert.Equal(apply.Err, check.Err);
        Assert.Equal(apply.Err, diff.Err);
    }

    [Fact]
    public void Diff_and_check_predict_an_active_selector_without_its_key_with_apply_s_message_and_exit_5()
    {
        using var host = new ApplySandbox();
        var before = host.Snapshot();
        var arguments = host.HostArguments().Where(a => a != "--generate-keys").ToArray();

        var diff = host.Cli(["diff", ApplySandbox.Example("single-domain"), .. arguments]);
        var check = host.Cli(["apply", ApplySandbox.Example("single-domain"), "--check", .. arguments]);
        var apply = host.Cli(["apply", ApplySandbox.Example("single-domain"), .. arguments]);

        Assert.Equal([5, 5, 5], new[] { diff.Exit, check.Exit, apply.Exit });
        var message = apply.Err.Split('\n').Single(l => l.Contains("is active but its key file", StringComparison.Ordinal));
        Assert.Contains(message, diff.Err, StringComparison.Ordinal);
        Assert.Contains(message, check.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("would change", diff.Out, StringComparison.Ordinal);
        Assert.Equal(before, host.Snapshot());
    }

    [Fact]
    public void Diff_and_check_predict_what_the_real_tools_would_refuse()
    {
        using var host = new ApplySandbox();
        var policy = host.WritePolicy("version: 1\npostfix:\n  parameters:\n    smtpd_no_such_parameter: yes\n");

        var diff = host.Diff(policy);
        var check = host.Apply(policy, "--check");

        Assert.Equal(5, diff.Exit);
        Assert.Equal(5, check.Exit);
        Assert.Contains("fails its check before anything was changed", diff.Err, StringComparison.Ordinal);
        Assert.Contains("unused parameter: smtpd_no_such_parameter=yes", check.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--timeout", "0", "error: --timeout 0 must be at least 1 (seconds)")]
    [InlineData("--lock-wait", "-1", "error: --lock-wait -1 must be 0 or more (seconds)")]
    [InlineData("--dns-server", "not-an-address", "error: --dns-server not-an-address is not IP[:PORT]")]
    public void A_malformed_option_is_invalid_input_also_in_json_and_for_diff(string option, string value, string error)
    {
        using var host = new ApplySandbox();
        var before = host.Snapshot();

        var apply = host.Apply(ApplySandbox.Example("single-domain"), option, value);
        var json = host.Apply(ApplySandbox.Example("single-domain"), "--json", option, value);
        var diff = host.Diff(ApplySandbox.Example("single-domain"), option, value);

        Assert.Equal([1, 1, 1], new[] { apply.Exit, json.Exit, diff.Exit });
        Assert.Equal(error + "\n", apply.Err);
        Assert.Equal(error + "\n", diff.Err);
        using var report = JsonDocument.Parse(json.Out);
        Assert.Equal("invalid", report.RootElement.GetProperty("outcome").GetString());
        Assert.Equal(error["error: ".Length..], report.RootElement.GetProperty("errors")[0].GetString());
        Assert.Equal(before, host.Snapshot());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Policy_warnings_reach_stderr_and_the_json_report(bool json)
    {
        using var host = new ApplySandbox();
        var policy = host.WritePolicy("version: 1\npostfix:\n  queue:\n    maximal_lifetime: 1h\n    bounce_lifetime: 2h\ntls:\n  outbound:\n    level: encrypt\n");

        var result = json ? host.Apply(policy, "--json") : host.Apply(policy);

        Assert.True(result.Exit == 0, result.Out + result.Err);
        Assert.Contains($"{policy}:5:5: warning UMC052:", result.Err, StringComparison.Ordinal);
        Assert.Contains($"{policy}:8:12: warning UMC072:", result.Err, StringComparison.Ordinal);
        if (json)
        {
            using var report = JsonDocument.Parse(result.Out);
            var warnings = report.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToList();
            Assert.Contains(warnings, w => w.StartsWith($"{policy}:5:5: UMC052: ", StringComparison.Ordinal));
            Assert.Contains(warnings, w => w.StartsWith($"{policy}:8:12: UMC072: ", StringComparison.Ordinal));
        }
    }

    // The sandbox's arguments with one program replaced.
    private static string[] HostArguments(ApplySandbox host, string option, string path)
    {
        var arguments = host.HostArguments().ToList();
        var at = arguments.IndexOf(option);
        if (at >= 0)
        {
            arguments.RemoveRange(at, 2);
        }

        return [.. arguments, option, path];
    }
}
