using UcsMailConfig.Cli;
using UcsMailConfig.Tests.Apply;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Cli;

/// <summary>
/// A sandbox UCS host for running documented command lines (help examples, the README's admin
/// path): the 2017 admin's policy (examples/single-domain) at the conventional path below the
/// root, its key, and a named on 127.0.0.1 serving its records. A command line is run with the
/// sandbox standing in for the real host: the policy path and /tmp/rendered point into it, a
/// given --dns-server is replaced by the named, and the command's --root, --ucr, --systemctl and
/// --dns-server (when --help lists them and the line does not give them) are added.
/// </summary>
internal sealed class ExampleHost : IDisposable
{
    private readonly ApplySandbox _host = new();
    private readonly TempDirectory _temp = new();
    private readonly BindServer _dns;
    private readonly IReadOnlyDictionary<string, string[]> _commands = HelpTree.Commands();

    public ExampleHost()
    {
        Policy = _host[HelpExamples.Policy];
        Directory.CreateDirectory(Path.GetDirectoryName(Policy)!);
        File.Copy(ApplySandbox.Example("single-domain"), Policy);
        _host.CreateKeys(Policy);
        var zone = _host.Cli("dns", Policy, "--root", _host.Root);
        Assert.True(zone.Exit == 0, zone.Err);
        _dns = new BindServer(zone.Out);
    }

    /// <summary>The policy's path in the sandbox.</summary>
    public string Policy { get; }

    public string Root => _host.Root;

    /// <summary>Each command path with the options its --help lists.</summary>
    public IReadOnlyDictionary<string, string[]> Commands => _commands;

    /// <summary>Runs "ucs-mail-config ARGS..." (one plain line) on the sandbox; returns what it printed and how it was run.</summary>
    public (CliResult Result, string RanAs) Run(string commandLine)
    {
        Assert.Matches("^ucs-mail-config [A-Za-z0-9 ./:_-]+$", commandLine);
        var words = commandLine.Split(' ').Skip(1)
            .Select(w => w == HelpExamples.Policy ? Policy : w == "/tmp/rendered" ? _temp.Combine("rendered") : w)
            .ToList();
        if (words.IndexOf("--dns-server") is var server and >= 0)
        {
            words[server + 1] = _dns.Address;
        }

        var path = _commands.Keys.Where(k => k.Length > 0 && string.Join(' ', words).StartsWith(k + " ", StringComparison.Ordinal) || string.Join(' ', words) == k)
            .OrderByDescending(k => k.Length).FirstOrDefault() ?? "";
        var sandbox = new Dictionary<string, string> { ["--root"] = _host.Root, ["--ucr"] = _host.UcrProgram, ["--systemctl"] = "/bin/false", ["--dns-server"] = _dns.Address };
        foreach (var (option, value) in sandbox.Where(s => _commands[path].Contains(s.Key) && !words.Contains(s.Key)))
        {
            words.AddRange([option, value]);
        }

        return (CliRun.Run([.. words]), string.Join(' ', words));
    }

    public void Dispose()
    {
        _dns.Dispose();
        _temp.Dispose();
        _host.Dispose();
    }
}
