using System.Diagnostics;
using System.Security.Cryptography;
using UcsMailConfig.Dkim;
using UcsMailConfig.Policy;
using UcsMailConfig.Tests.Support;
using UcsMailConfig.Tests.UcrFixture;

namespace UcsMailConfig.Tests.Apply;

/// <summary>
/// A sandbox UCS host (stand-in stock templates, the ucr fixture) and the CLI pointed at it:
/// real postconf, postfix and opendkim; systemctl is /bin/false, so services count as not running.
/// </summary>
public sealed class ApplySandbox : IDisposable
{
    private readonly StockUcsRoot _root = new();
    private readonly TempDirectory _work = new("ucsmail-work");

    public string Root => _root.Path;

    public string this[string relative] => _root[relative];

    public StockUcsRoot Host => _root;

    /// <summary>The ucr fixture confined to this sandbox's root, for stand-ins to exec.</summary>
    public string UcrProgram => _root.UcrProgram;

    public static string Example(string name) => Path.Combine(RepoPaths.Examples, name, "mail-policy.yaml");

    public string WritePolicy(string yaml)
    {
        // Named as the examples are: generated headers name the policy file, so the name is part of what apply compares.
        var path = Path.Combine(Directory.CreateDirectory(Path.Combine(_work.Path, $"policy-{Guid.NewGuid():N}")).FullName, "mail-policy.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    /// <summary>An executable shell script, e.g. a stand-in that fails one step on purpose.</summary>
    public string WriteStub(string name, string script)
    {
        var path = Path.Combine(_work.Path, name);
        File.WriteAllText(path, "#!/bin/sh\n" + script + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        return path;
    }

    public string[] HostArguments(params string[] overrides)
    {
        // Keys are created as needed; no DNS server here can show their records.
        var arguments = new List<string> { "--root", Root, "--generate-keys", "--activate-without-dns" };
        foreach (var (option, program) in new[] { ("--ucr", UcrProgram), ("--systemctl", "/bin/false") })
        {
            if (!overrides.Contains(option))
            {
                arguments.AddRange([option, program]);
            }
        }

        return [.. arguments, .. overrides];
    }

    public (int Exit, string Out, string Err) Cli(params string[] args)
    {
        var (exit, stdout, stderr) = CliRun.Run(args);
        return (exit, stdout, stderr);
    }

    public (int Exit, string Out, string Err) Apply(string policy, params string[] extra) =>
        Cli(["apply", policy, .. HostArguments(extra)]);

    /// <summary>diff with the same host arguments as <see cref="Apply"/>: apply's check mode.</summary>
    public (int Exit, string Out, string Err) Diff(string policy, params string[] extra) =>
        Cli(["diff", policy, .. HostArguments(extra)]);

    /// <summary>Creates the policy's DKIM keys below the root now, so that a snapshot taken next already has them.</summary>
    public void CreateKeys(string policy)
    {
        var loaded = PolicyLoader.LoadFile(policy);
        DkimKeyStore.EnsureKeys(loaded.Policy!, Root);
    }

    /// <summary>Runs the CLI as its own process (for tests that kill it or run two at once).</summary>
    public static Process StartCliProcess(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "ucs-mail-config.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(cli);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return Process.Start(start)!;
    }

    /// <summary>
    /// Every file below the root with its mode and hash, except the logs and the lock, which
    /// record that something happened rather than configuration.
    /// </summary>
    public IReadOnlyDictionary<string, string> Snapshot() =>
        Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f))
            .Where(f => !f.StartsWith("var/log/", StringComparison.Ordinal) && f != "var/lib/ucs-mail-config/lock")
            .Order(StringComparer.Ordinal)
            .ToDictionary(f => f, f => $"{Convert.ToString((int)File.GetUnixFileMode(this[f]), 8)} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(this[f])))}");

    public IReadOnlyList<string> UcrInvocations() => UcrFixtureRunner.ReadInvocations(Root).Select(i => string.Join(' ', i)).ToList();

    public void Dispose()
    {
        _root.Dispose();
        _work.Dispose();
    }
}
