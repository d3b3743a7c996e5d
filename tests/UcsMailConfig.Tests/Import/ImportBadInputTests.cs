using UcsMailConfig.Tests.Apply;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Import;

/// <summary>
/// Contradictory or unreadable files are reported with FILE:LINE and exit 1, never guessed, and
/// import writes nothing on the host (nor --out). A key our key rules refuse is left out (exit 2), not taken.
/// </summary>
public sealed class ImportBadInputTests
{
    [Fact]
    public void SigningTableRowWithoutKeyTableEntryIsAnErrorWithItsLine()
    {
        using var host = new ApplySandbox();
        Import2017HostTests.Build2017Host(host);
        File.AppendAllText(host["etc/opendkim/SigningTable"], "*@example.net 2017._domainkey.example.net\n");

        var (exit, stdout, stderr) = Import(host);

        Assert.Equal(1, exit);
        Assert.Contains("error: /etc/opendkim/SigningTable:2: the SigningTable row '*@example.net 2017._domainkey.example.net' names the key 2017._domainkey.example.net, which the KeyTable has no row for", stderr, StringComparison.Ordinal);
        Assert.Equal("", stdout);
    }

    [Fact]
    public void TwoSocketsAreAnErrorNamingBothLines()
    {
        using var host = new ApplySandbox();
        Import2017HostTests.Build2017Host(host);
        File.AppendAllText(host["etc/opendkim.conf"], "Socket local:/var/spool/postfix/opendkim/opendkim.sock\n");

        var (exit, _, stderr) = Import(host);

        Assert.Equal(1, exit);
        Assert.Matches(@"error: /etc/opendkim\.conf:13: a second Socket line \('local:/var/spool/postfix/opendkim/opendkim\.sock'; line 5 has 'inet:12345@localhost'\)", stderr);
    }

    [Fact]
    public void ARootWithoutMainCfIsBadInput()
    {
        using var empty = new TempDirectory("ucsmail-import-empty");

        var result = CliRun.Run("import", "--root", empty.Path);

        Assert.Equal(1, result.Exit);
        Assert.Contains("there is no main.cf below the root", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(empty.Path));
    }

    [Fact]
    public void AMissingPostconfIsRefusedWithExit5()
    {
        using var host = new ApplySandbox();

        var result = host.Cli("import", "--root", host.Root, "--postconf", "/nonexistent/postconf");

        Assert.Equal(5, result.Exit);
        Assert.Contains("postconf is missing (/nonexistent/postconf)", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void AnExistingOutFileIsKeptUnlessForced()
    {
        using var host = new ApplySandbox();
        using var work = new TempDirectory("ucsmail-import");
        var target = work.Combine("mail-policy.yaml");
        File.WriteAllText(target, "mine\n");

        var refused = host.Cli("import", "--root", host.Root, "--out", target);
        Assert.Equal(1, refused.Exit);
        Assert.Contains("exists; --force replaces it", refused.Err, StringComparison.Ordinal);
        Assert.Equal("mine\n", File.ReadAllText(target));

        var forced = host.Cli("import", "--root", host.Root, "--out", target, "--force");
        Assert.Equal(0, forced.Exit);
        Assert.StartsWith("# yaml-language-server", File.ReadAllText(target), StringComparison.Ordinal);
    }

    [Fact]
    public void AKeyOthersCouldReadIsLeftOutWithTheReasonNotTaken()
    {
        using var host = new ApplySandbox();
        Import2017HostTests.Build2017Host(host);
        File.SetUnixFileMode(host["etc/opendkim/keys/example.com/03122017.private"], (UnixFileMode)0b110_100_100);

        var (exit, stdout, stderr) = Import(host);

        Assert.Equal(2, exit);
        Assert.Contains("left out: selector 03122017 of example.com (key /etc/opendkim/keys/example.com/03122017.private) (/etc/opendkim/KeyTable:1 (OpenDKIM's table))", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("\"03122017\": {state: active}", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void AKeyOutsideTheKeyFolderIsLeftOut()
    {
        using var host = new ApplySandbox();
        Import2017HostTests.Build2017Host(host);
        File.WriteAllText(host["etc/opendkim/KeyTable"], "03122017._domainkey.example.com example.com:03122017:/etc/ssl/private/03122017.private\n");

        var (exit, _, stderr) = Import(host);

        Assert.Equal(2, exit);
        Assert.Contains("the key is outside /etc/opendkim/keys, where the policy's keys live (UMC064)", stderr, StringComparison.Ordinal);
    }

    private static (int Exit, string Out, string Err) Import(ApplySandbox host)
    {
        var before = host.Snapshot();
        var result = host.Cli("import", "--root", host.Root);
        Assert.Equal(before, host.Snapshot());
        return result;
    }
}
