using UcsMailConfig.Rendering;
using UcsMailConfig.Tests.UcrFixture;
using UcsMailConfig.Ucs.Layout;

namespace UcsMailConfig.Tests.Support;

/// <summary>
/// A fresh root directory that looks like a UCS mail server to the ucr fixture: the stand-in
/// stock Postfix templates from tests/fixtures/stock-ucs and UCS's default variables; under
/// the system temp folder, or under <c>parent</c> (see <see cref="TempDirectory"/>). The tool
/// sets no variable for the fixture, so <see cref="UcrProgram"/> gives it this root itself.
/// </summary>
public sealed class StockUcsRoot : IDisposable
{
    private readonly TempDirectory _directory;
    private readonly TempDirectory _programs;

    public StockUcsRoot(string? parent = null)
    {
        _directory = new TempDirectory("ucsmail-root", parent);
        // Outside the root, so that snapshots of the root do not see it.
        _programs = new TempDirectory("ucsmail-ucr", parent);
        // 0755: the tests that run the tool as another user than root run this program too.
        File.SetUnixFileMode(_programs.Path, (UnixFileMode)0b111_101_101);
        UcrProgram = _programs.Combine("ucr");
        File.WriteAllText(UcrProgram, $"#!/bin/sh\nUCR_ROOT='{Path}'\nexport UCR_ROOT\nexec '{UcrFixtureRunner.ScriptPath}' \"$@\"\n");
        File.SetUnixFileMode(UcrProgram, (UnixFileMode)0b111_101_101);
        CopyTree(System.IO.Path.Combine(RepoPaths.Root, "tests", "fixtures", "stock-ucs"), Path);
        File.Delete(System.IO.Path.Combine(Path, "README.md"));

        // UCS's defaults, one NAME=VALUE per line; the benchmarks' sandbox reads the same file.
        var defaults = System.IO.Path.Combine(Path, "ucr-defaults");
        var settings = File.ReadAllLines(defaults).Where(line => line.Length > 0).ToArray();
        if (!settings.Contains($"mail/postfix/tls/policy/maps={StockUcsParameters.UcsTlsPolicyMaps}"))
        {
            throw new InvalidDataException($"{defaults} no longer sets UCS's TLS policy map, {StockUcsParameters.UcsTlsPolicyMaps}");
        }

        Ucr(["set", .. settings]);
        File.Delete(defaults);
        Ucr("register", "univention-mail-postfix");
        File.Copy("/usr/share/postfix/master.cf.dist", this["etc/postfix/master.cf"]);
    }

    public string Path => _directory.Path;

    /// <summary>The ucr program for this root: the fixture with UCR_ROOT set to <see cref="Path"/>.</summary>
    public string UcrProgram { get; }

    public string this[string relative] => System.IO.Path.Combine(Path, relative.TrimStart('/'));

    /// <summary>What a UCS admin would do by hand with a render: copy it, register it, set the variables, commit.</summary>
    public void Install(RenderedTree tree)
    {
        tree.WriteTo(Path);
        if (tree.Files.ContainsKey(TemplateCatalog.OutputPath(TemplateCatalog.Info)))
        {
            Ucr("register", "ucs-mail-config");
        }

        var variables = File.ReadAllLines(this[TemplateCatalog.OutputPath(TemplateCatalog.UcrVariables)])
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .ToArray();
        if (variables.Length > 0)
        {
            Ucr(["set", .. variables]);
        }

        Ucr("commit", "/etc/postfix/main.cf");
    }

    public ProgramResult Ucr(params string[] args)
    {
        var result = UcrFixtureRunner.Run(Path, args);
        Assert.True(result.ExitCode == 0, $"ucr {string.Join(' ', args)} failed: {result}");
        return result;
    }

    public void Dispose()
    {
        _directory.Dispose();
        _programs.Dispose();
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = System.IO.Path.Combine(to, System.IO.Path.GetRelativePath(from, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
