using UcsMailConfig.Rendering;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Cli;

/// <summary>
/// render --out DIR --force replaces exactly what an earlier render wrote there (its manifest)
/// and refuses everything else before writing a byte; a bad --out is one line and exit 1.
/// </summary>
public sealed class RenderForceTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Example(string name) => Path.Combine(RepoPaths.Examples, name, "mail-policy.yaml");

    // Every entry below the folder (links not followed) with its content, to show nothing changed.
    private static Dictionary<string, string> Snapshot(string folder) =>
        new DirectoryInfo(folder).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .ToDictionary(
                e => Path.GetRelativePath(folder, e.FullName),
                e => e.LinkTarget is { } target ? "-> " + target : e is FileInfo ? File.ReadAllText(e.FullName) : "/");

    private static void AssertOneLineError(CliResult result, string expected)
    {
        Assert.True(result.Exit == 1, result.ToString());
        Assert.Equal("", result.Stdout);
        Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Force_replaces_an_earlier_render_and_removes_the_files_it_no_longer_writes()
    {
        var output = _temp.Combine("out");
        Assert.Equal(0, CliRun.Run("render", Example("single-domain"), "--out", output).Exit);
        Assert.True(File.Exists(Path.Combine(output, "etc/univention/templates/files/etc/opendkim.conf")));

        var forced = CliRun.Run("render", Example("queue-only"), "--out", output, "--force");

        Assert.True(forced.Exit == 0, forced.ToString());
        var expected = CliRun.Run("render", Example("queue-only"), "--out", _temp.Combine("fresh"));
        Assert.Equal(Snapshot(_temp.Combine("fresh")), Snapshot(output));
        Assert.False(Directory.Exists(Path.Combine(output, "etc")));
        Assert.Equal("var/lib/ucs-mail-config/ucr-variables\n", File.ReadAllText(Path.Combine(output, RenderOutput.ManifestName)));
        Assert.Equal(0, expected.Exit);
    }

    [Fact]
    public void An_existing_empty_folder_is_filled_where_it_is_and_keeps_its_mode()
    {
        var output = _temp.Combine("empty");
        Directory.CreateDirectory(output, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var result = CliRun.Run("render", Example("queue-only"), "--out", output);

        Assert.True(result.Exit == 0, result.ToString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(output));
        Assert.Equal("var/lib/ucs-mail-config/ucr-variables\n", File.ReadAllText(Path.Combine(output, RenderOutput.ManifestName)));
        Assert.Equal([output], Directory.GetFileSystemEntries(_temp.Path));
    }

    [Fact]
    public void Force_in_the_policys_own_folder_refuses_and_names_what_it_did_not_write()
    {
        var folder = _temp.Combine("repo");
        Directory.CreateDirectory(Path.Combine(folder, ".git"));
        File.WriteAllText(Path.Combine(folder, ".git", "HEAD"), "ref: refs/heads/main\n");
        File.Copy(Example("single-domain"), Path.Combine(folder, "mail-policy.yaml"));
        var before = Snapshot(folder);

        var refused = CliRun.Run("render", Path.Combine(folder, "mail-policy.yaml"), "--out", folder, "--force");

        AssertOneLineError(refused, "this folder also holds .git/, mail-policy.yaml;");
        Assert.Equal(before, Snapshot(folder));
    }

    [Fact]
    public void Force_refuses_an_earlier_render_with_a_file_added_and_changes_nothing()
    {
        var output = _temp.Combine("out");
        Assert.Equal(0, CliRun.Run("render", Example("single-domain"), "--out", output).Exit);
        File.WriteAllText(Path.Combine(output, "etc/univention/notes.txt"), "mine");
        var before = Snapshot(output);

        var refused = CliRun.Run("render", Example("queue-only"), "--out", output, "--force");

        AssertOneLineError(refused, "also holds etc/univention/notes.txt;");
        Assert.Equal(before, Snapshot(output));
    }

    [Fact]
    public void Force_never_follows_a_link_to_a_folder_or_a_file()
    {
        var output = _temp.Combine("out");
        var outside = _temp.Combine("outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "KeyTable"), "outside");
        Assert.Equal(0, CliRun.Run("render", Example("single-domain"), "--out", output).Exit);

        // A listed file replaced by a link: render replaces the link, never writes through it.
        var table = Path.Combine(output, "etc/univention/templates/files/etc/opendkim/KeyTable");
        var rendered = File.ReadAllText(table);
        File.Delete(table);
        File.CreateSymbolicLink(table, Path.Combine(outside, "KeyTable"));
        Assert.Equal(0, CliRun.Run("render", Example("single-domain"), "--out", output, "--force").Exit);
        Assert.Null(new FileInfo(table).LinkTarget);
        Assert.Equal(rendered, File.ReadAllText(table));
        Assert.Equal("outside", File.ReadAllText(Path.Combine(outside, "KeyTable")));

        // A listed folder replaced by a link: refused, and nothing below the link is touched.
        var opendkim = Path.GetDirectoryName(table)!;
        Directory.Delete(opendkim, recursive: true);
        Directory.CreateSymbolicLink(opendkim, outside);
        var refused = CliRun.Run("render", Example("queue-only"), "--out", output, "--force");
        AssertOneLineError(refused, "also holds etc/univention/templates/files/etc/opendkim;");
        Assert.Equal(["KeyTable"], Directory.GetFileSystemEntries(outside).Select(Path.GetFileName));
    }

    [Fact]
    public void A_manifest_naming_a_path_outside_the_folder_is_not_trusted()
    {
        var output = _temp.Combine("out");
        var victim = _temp.Combine("victim");
        File.WriteAllText(victim, "keep me");
        Assert.Equal(0, CliRun.Run("render", Example("queue-only"), "--out", output).Exit);
        File.AppendAllText(Path.Combine(output, RenderOutput.ManifestName), "../victim\n");

        var refused = CliRun.Run("render", Example("single-domain"), "--out", output, "--force");

        AssertOneLineError(refused, "lists ../victim, which render never writes");
        Assert.Equal("keep me", File.ReadAllText(victim));
    }

    [Fact]
    public void Force_refuses_the_root_folder()
    {
        AssertOneLineError(CliRun.Run("render", Example("queue-only"), "--out", "/", "--force"), "render never writes into /");
    }

    [Fact]
    public void An_out_that_is_a_file_or_cannot_be_written_is_one_line()
    {
        var file = _temp.Combine("a-file");
        File.WriteAllText(file, "keep me");

        AssertOneLineError(CliRun.Run("render", Example("queue-only"), "--out", file, "--force"), "--out is a file or a symbolic link, not a folder");
        AssertOneLineError(CliRun.Run("render", Example("queue-only"), "--out", file), "--out is a file or a symbolic link, not a folder");
        Assert.Equal("keep me", File.ReadAllText(file));

        // proc refuses every new entry, for root too (a read-only folder does not stop root).
        AssertOneLineError(CliRun.Run("render", Example("queue-only"), "--out", "/proc/ucs-mail-config-out"), "cannot write the output");
    }
}
