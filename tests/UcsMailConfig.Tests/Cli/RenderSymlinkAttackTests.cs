using UcsMailConfig.Rendering;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Cli;

/// <summary>
/// render run as root into a folder a local user can write (the README's /tmp example): the
/// real unprivileged user ucsmail-test plants symlinks where it can guess render will write,
/// and render either refuses in one line or writes only into its own staging folder; the
/// symlink's target (root's folder "victim") is never touched.
/// </summary>
public sealed class RenderSymlinkAttackTests : IDisposable
{
    private const string Attacker = "ucsmail-test";

    // Below /tmp and 0755, so the attacker can reach the shared folder; the shared folder is
    // /tmp's own mode, 1777.
    private readonly TempDirectory _temp = new("ucsmail-render-attack", parent: "/tmp/ucsmail-render-attack");

    public RenderSymlinkAttackTests()
    {
        Directory.CreateDirectory(Shared);
        File.SetUnixFileMode(Shared, (UnixFileMode)0b1_111_111_111);
        Directory.CreateDirectory(Victim);
        File.SetUnixFileMode(Victim, (UnixFileMode)0b111_101_101);
        File.WriteAllText(Path.Combine(Victim, "keep"), "root's");
    }

    public void Dispose() => _temp.Dispose();

    private string Shared => _temp.Combine("shared");

    private string Victim => _temp.Combine("victim");

    private string Output => Path.Combine(Shared, "out");

    private static string Example => Path.Combine(RepoPaths.Examples, "single-domain", "mail-policy.yaml");

    private static void AsAttacker(params string[] command)
    {
        var result = ExternalProgram.Run("runuser", ["-u", Attacker, "--", .. command]);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private void AssertVictimUntouched()
    {
        Assert.Equal(["keep"], Directory.GetFileSystemEntries(Victim).Select(Path.GetFileName));
        Assert.Equal("root's", File.ReadAllText(Path.Combine(Victim, "keep")));
        Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(Victim) & (UnixFileMode)0b111_111_111);
    }

    private static void AssertOneLineError(CliResult result, string expected)
    {
        Assert.True(result.Exit == 1, result.ToString());
        Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_symlink_planted_as_out_is_refused()
    {
        AsAttacker("ln", "-s", Victim, Output);

        AssertOneLineError(CliRun.Run("render", Example, "--out", Output), "--out is a file or a symbolic link");
        AssertOneLineError(CliRun.Run("render", Example, "--out", Output, "--force"), "--out is a file or a symbolic link");
        AssertVictimUntouched();
    }

    [Fact]
    public void A_symlink_planted_at_the_old_predictable_staging_name_is_left_alone()
    {
        // Until now the staging folder was out.rendering-<pid>; render runs in this process here.
        var guessed = $"{Output}.rendering-{Environment.ProcessId}";
        AsAttacker("ln", "-s", Victim, guessed);

        var result = CliRun.Run("render", Example, "--out", Output);

        Assert.True(result.Exit == 0, result.ToString());
        AssertVictimUntouched();
        Assert.Equal(Victim, new FileInfo(guessed).LinkTarget);
        var output = new DirectoryInfo(Output);
        Assert.Null(output.LinkTarget);
        Assert.Equal((UnixFileMode)0b111_101_101, output.UnixFileMode);
        Assert.True(File.Exists(Path.Combine(Output, RenderOutput.ManifestName)));

        // Nothing but the output and the planted link is left beside it: no staging folder.
        Assert.Equal(new[] { Output, guessed }.Order(), Directory.GetFileSystemEntries(Shared).Order());
    }

    [Fact]
    public void An_empty_out_owned_by_another_user_is_refused_and_left_empty()
    {
        AsAttacker("mkdir", Output);

        AssertOneLineError(CliRun.Run("render", Example, "--out", Output), "is owned by uid");
        Assert.Empty(Directory.GetFileSystemEntries(Output));
    }

    [Fact]
    public void A_user_owned_out_with_a_symlinked_subfolder_is_refused_with_force()
    {
        // What the attacker guesses render writes below --out: etc/ → root's victim folder.
        AsAttacker("mkdir", Output);
        AsAttacker("ln", "-s", Victim, Path.Combine(Output, "etc"));
        AsAttacker("sh", "-c", $"printf 'etc/univention/templates/files/etc/opendkim/KeyTable\\n' > {Path.Combine(Output, RenderOutput.ManifestName)}");

        AssertOneLineError(CliRun.Run("render", Example, "--out", Output, "--force"), "is owned by uid");
        AssertVictimUntouched();
    }

    [Fact]
    public void An_out_that_others_may_write_is_refused_and_so_is_such_a_folder_below_it()
    {
        Directory.CreateDirectory(Output);
        File.SetUnixFileMode(Output, (UnixFileMode)0b111_111_111);
        AssertOneLineError(CliRun.Run("render", Example, "--out", Output), "writable by group or others");
        Assert.Empty(Directory.GetFileSystemEntries(Output));

        // An earlier render with a folder someone opened to all: the attacker could swap
        // entries there while root writes, so --force refuses before it writes a byte.
        File.SetUnixFileMode(Output, (UnixFileMode)0b111_101_101);
        Assert.Equal(0, CliRun.Run("render", Example, "--out", Output).Exit);
        var univention = Path.Combine(Output, "etc/univention");
        File.SetUnixFileMode(univention, (UnixFileMode)0b111_111_111);
        AsAttacker("ln", "-s", Victim, Path.Combine(univention, "planted"));

        AssertOneLineError(CliRun.Run("render", Example, "--out", Output, "--force"), $"the folder {univention} has mode 777");
        AssertVictimUntouched();
    }
}
