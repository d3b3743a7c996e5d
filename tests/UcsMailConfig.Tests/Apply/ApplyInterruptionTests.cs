using System.Collections.Concurrent;
using System.Diagnostics;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Apply;

/// <summary>
/// A killed apply is recovered by the next one; SIGINT and SIGTERM end the current step, then
/// roll back (or complete past the point of no return); two applies at once do not interleave.
/// Each signal arrives at a known step: a stand-in for one program stops there (see
/// <see cref="Gate"/>) until the test has seen the CLI take the signal.
/// </summary>
public sealed class ApplyInterruptionTests
{
    private static readonly string[] ConfigFiles = ["etc/postfix/main.cf", "etc/opendkim.conf", "etc/univention/base.conf", "etc/univention/templates/info/ucs-mail-config.info"];

    [Fact]
    public void A_process_killed_during_ucr_is_recovered_by_the_next_apply()
    {
        using var host = new ApplySandbox();
        using var reference = new ApplySandbox();
        Assert.Equal(0, reference.Apply(ApplySandbox.Example("single-domain")).Exit);
        using var gate = new Gate("ucr", host.UcrProgram, "$1", "register");

        using (var cli = new RunningCli(host, ApplySandbox.Example("single-domain"), "--ucr", gate.Program))
        {
            Assert.Equal("register", gate.WaitUntilReached(cli.Process));
            cli.Process.Kill();
            cli.Process.WaitForExit();
            gate.Release(go: false);
        }

        Assert.True(File.Exists(host["var/lib/ucs-mail-config/journal/intent.json"]), "the killed apply left no journal");
        Assert.True(File.Exists(host["etc/univention/templates/files/etc/opendkim.conf"]), "the apply did not stop after its writes");

        var next = host.Apply(ApplySandbox.Example("single-domain"));

        Assert.True(next.Exit == 0, next.Out + next.Err);
        Assert.Contains("an earlier apply was interrupted", next.Out, StringComparison.Ordinal);
        Assert.False(Directory.Exists(host["var/lib/ucs-mail-config/journal"]));
        foreach (var file in ConfigFiles)
        {
            Assert.Equal(File.ReadAllText(reference[file]), File.ReadAllText(host[file]));
        }

        Assert.Equal(0, host.Apply(ApplySandbox.Example("single-domain"), "--check").Exit);
    }

    [Fact]
    public void Sigterm_during_ucr_commit_rolls_everything_back_and_a_second_signal_does_not_cut_the_rollback_short()
    {
        using var host = new ApplySandbox();
        host.CreateKeys(ApplySandbox.Example("single-domain"));
        var before = host.Snapshot();
        // The rollback of a first apply runs 'ucr update' (the registration is undone): the second signal comes there.
        using var gate = new Gate("ucr", host.UcrProgram, "$1", "commit", "update");
        using var cli = new RunningCli(host, ApplySandbox.Example("single-domain"), "--ucr", gate.Program);

        Assert.Equal("commit", gate.WaitUntilReached(cli.Process));
        cli.Signal("TERM");
        cli.WaitForLine("SIGTERM received");
        gate.Release(go: true);
        Assert.Equal("update", gate.WaitUntilReached(cli.Process));
        cli.Signal("INT");
        cli.WaitForLine("SIGINT received");
        gate.Release(go: true);
        var (exit, stdout, stderr) = cli.Finish();

        Assert.True(exit == 3, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.Contains("interrupted by a signal; the current step was finished, then everything was put back", stderr, StringComparison.Ordinal);
        Assert.Contains("failed and rolled back", stdout, StringComparison.Ordinal);
        Assert.Equal(before, host.Snapshot());
        Assert.False(Directory.Exists(host["var/lib/ucs-mail-config/journal"]));
        Assert.Empty(Directory.EnumerateFileSystemEntries(cli.TemporaryFolder));
    }

    [Fact]
    public void Sigint_during_the_staging_check_changes_nothing_and_removes_the_staging_folder()
    {
        using var host = new ApplySandbox();
        host.CreateKeys(ApplySandbox.Example("single-domain"));
        var before = host.Snapshot();
        var invocations = host.UcrInvocations().Count;
        using var gate = new Gate("postconf", ExternalProgram.Find("postconf"), "$(case \"$2\" in *ucs-mail-config-staging-*) echo staging;; esac)", "staging");
        using var cli = new RunningCli(host, ApplySandbox.Example("single-domain"), "--postconf", gate.Program);

        Assert.Equal("staging", gate.WaitUntilReached(cli.Process));
        Assert.NotEmpty(Directory.EnumerateFileSystemEntries(cli.TemporaryFolder));
        cli.Signal("INT");
        cli.WaitForLine("SIGINT received");
        gate.Release(go: true);
        var (exit, stdout, stderr) = cli.Finish();

        Assert.True(exit == 3, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.Contains("interrupted by a signal before anything was changed", stderr, StringComparison.Ordinal);
        Assert.Equal(before, host.Snapshot());
        Assert.Equal(invocations, host.UcrInvocations().Count);
        Assert.Empty(Directory.EnumerateFileSystemEntries(cli.TemporaryFolder));
    }

    [Fact]
    public void Sigterm_past_the_point_of_no_return_completes_the_apply()
    {
        using var host = new ApplySandbox();
        using var reference = new ApplySandbox();
        Assert.Equal(0, reference.Apply(ApplySandbox.Example("single-domain")).Exit);
        // 'postfix status' is the first reload step, after every commit and the live check.
        using var gate = new Gate("postfix", ExternalProgram.Find("postfix"), "$3", "status");
        using var cli = new RunningCli(host, ApplySandbox.Example("single-domain"), "--postfix", gate.Program);

        Assert.Equal("status", gate.WaitUntilReached(cli.Process));
        cli.Signal("TERM");
        cli.WaitForLine("SIGTERM received");
        gate.Release(go: true);
        var (exit, stdout, stderr) = cli.Finish();

        Assert.True(exit == 0, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.Contains("interrupted by a signal after the new configuration was in place and checked; the apply was completed", stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(host["var/lib/ucs-mail-config/journal"]));
        foreach (var file in ConfigFiles)
        {
            Assert.Equal(File.ReadAllText(reference[file]), File.ReadAllText(host[file]));
        }

        Assert.Equal(0, host.Apply(ApplySandbox.Example("single-domain"), "--check").Exit);
        Assert.Empty(Directory.EnumerateFileSystemEntries(cli.TemporaryFolder));
    }

    [Fact]
    public void Two_applies_at_once_take_turns_and_leave_a_complete_state()
    {
        using var host = new ApplySandbox();
        var args = new[] { "apply", ApplySandbox.Example("multi-domain") }.Concat(host.HostArguments("--lock-wait", "120")).ToArray();

        using var first = ApplySandbox.StartCliProcess(args);
        using var second = ApplySandbox.StartCliProcess(args);
        var outputs = new[] { first, second }.Select(p => (Out: p.StandardOutput.ReadToEndAsync(), Err: p.StandardError.ReadToEndAsync())).ToList();
        Assert.True(first.WaitForExit(240_000) && second.WaitForExit(240_000));

        Assert.True(first.ExitCode == 0 && second.ExitCode == 0, string.Join("\n", outputs.Select(o => o.Out.Result + o.Err.Result)));
        var results = outputs.Select(o => o.Out.Result).ToList();
        Assert.Single(results, r => r.Contains("applied:", StringComparison.Ordinal));
        Assert.Single(results, r => r.Contains("unchanged:", StringComparison.Ordinal));
        Assert.Single(host.UcrInvocations(), i => i == "register ucs-mail-config");
        Assert.Equal(0, host.Apply(ApplySandbox.Example("multi-domain"), "--check").Exit);
    }

    [Fact]
    public void A_second_apply_that_cannot_get_the_lock_in_time_is_refused_and_changes_nothing()
    {
        using var host = new ApplySandbox();
        Directory.CreateDirectory(host["var/lib/ucs-mail-config"]);
        using var held = new FileStream(host["var/lib/ucs-mail-config/lock"], FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        var before = host.Snapshot();

        var result = host.Apply(ApplySandbox.Example("single-domain"), "--lock-wait", "1");

        Assert.Equal(5, result.Exit);
        Assert.Contains("was not released within 1 s", result.Err, StringComparison.Ordinal);
        Assert.Equal(before, host.Snapshot());
    }

    [Fact]
    public void A_signal_while_waiting_for_the_lock_ends_the_wait_at_once_and_changes_nothing()
    {
        using var host = new ApplySandbox();
        Directory.CreateDirectory(host["var/lib/ucs-mail-config"]);
        using var held = new FileStream(host["var/lib/ucs-mail-config/lock"], FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        var before = host.Snapshot();

        // Waits up to 10 minutes unless the signal ends the wait.
        using var cli = new RunningCli(host, ApplySandbox.Example("single-domain"), "--lock-wait", "600");
        cli.WaitForLine("waiting for the lock");
        cli.Signal("TERM");
        cli.WaitForLine("SIGTERM received");
        var (exit, stdout, stderr) = cli.Finish();

        Assert.True(exit == 3, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.Contains("interrupted by a signal while waiting for the lock; nothing was changed", stderr, StringComparison.Ordinal);
        Assert.Equal(before, host.Snapshot());
        Assert.Empty(Directory.EnumerateFileSystemEntries(cli.TemporaryFolder));
    }

    /// <summary>
    /// A stand-in for one program that stops at the named steps (the value of a shell expression
    /// over its arguments), once each: it writes the step's name into one FIFO, then waits for a
    /// line in another; "go" runs the real program, anything else fails the step unrun.
    /// </summary>
    private sealed class Gate : IDisposable
    {
        private readonly TempDirectory _folder = new("ucsmail-gate");

        public Gate(string name, string real, string stepExpression, params string[] stops)
        {
            foreach (var fifo in new[] { "reached", "release" })
            {
                ExternalProgram.Check("mkfifo", [_folder.Combine(fifo)]);
            }

            Program = _folder.Combine(name);
            File.WriteAllText(Program, $"""
                #!/bin/sh
                step={stepExpression}
                case " {string.Join(' ', stops)} " in
                  *" $step "*)
                    if [ -n "$step" ] && [ ! -e "{_folder.Path}/passed-$step" ]; then
                      : > "{_folder.Path}/passed-$step"
                      echo "$step" > "{_folder.Path}/reached"
                      read answer < "{_folder.Path}/release"
                      [ "$answer" = go ] || exit 1
                    fi;;
                esac
                exec {real} "$@"

                """);
            File.SetUnixFileMode(Program, (UnixFileMode)0b111_101_101);
        }

        public string Program { get; }

        /// <summary>The step the stand-in stopped at; fails when the CLI ends first.</summary>
        public string WaitUntilReached(Process cli)
        {
            var reached = Task.Run(() => File.ReadAllText(_folder.Combine("reached")).Trim());
            var first = Task.WhenAny(reached, cli.WaitForExitAsync()).Wait(TimeSpan.FromMinutes(3));
            if (!first || !reached.IsCompleted)
            {
                // Unblocks the reader, so that no thread stays behind.
                File.WriteAllText(_folder.Combine("reached"), "");
                Assert.Fail($"the CLI never reached the gate (exited: {cli.HasExited})");
            }

            return reached.Result;
        }

        public void Release(bool go) => File.WriteAllText(_folder.Combine("release"), go ? "go\n" : "stop\n");

        public void Dispose() => _folder.Dispose();
    }

    /// <summary>The built CLI as its own process, with a private TMPDIR and its stderr read line by line.</summary>
    private sealed class RunningCli : IDisposable
    {
        private readonly TempDirectory _temporary = new("ucsmail-tmpdir");
        private readonly BlockingCollection<string> _stderrLines = [];
        private readonly List<string> _stderrSeen = [];
        private readonly Task<string> _stdout;

        public RunningCli(ApplySandbox host, string policy, params string[] overrides)
        {
            Process = ApplySandbox.StartCliProcess(["apply", policy, .. host.HostArguments(overrides)],
                new Dictionary<string, string> { ["TMPDIR"] = _temporary.Path, ["DOTNET_EnableDiagnostics"] = "0" });
            _stdout = Process.StandardOutput.ReadToEndAsync();
            Task.Run(() =>
            {
                while (Process.StandardError.ReadLine() is { } line)
                {
                    _stderrLines.Add(line);
                }

                _stderrLines.CompleteAdding();
            });
        }

        public Process Process { get; }

        public string TemporaryFolder => _temporary.Path;

        public void Signal(string name) => ExternalProgram.Check("kill", ["-s", name, Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        /// <summary>Reads stderr until a line contains <paramref name="text"/> (the CLI says it took a signal).</summary>
        public void WaitForLine(string text)
        {
            while (_stderrLines.TryTake(out var line, TimeSpan.FromMinutes(3)))
            {
                _stderrSeen.Add(line);
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    return;
                }
            }

            Assert.Fail($"stderr never said '{text}':\n{string.Join('\n', _stderrSeen)}");
        }

        public (int Exit, string Stdout, string Stderr) Finish()
        {
            Assert.True(Process.WaitForExit(TimeSpan.FromMinutes(3)), "the CLI did not finish");
            Process.WaitForExit();
            _stderrSeen.AddRange(_stderrLines.GetConsumingEnumerable());
            return (Process.ExitCode, _stdout.Result, string.Join('\n', _stderrSeen));
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill();
            }

            Process.Dispose();
            _temporary.Dispose();
        }
    }
}
