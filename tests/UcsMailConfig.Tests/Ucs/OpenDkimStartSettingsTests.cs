using UcsMailConfig.Rendering.Derive;
using UcsMailConfig.Tests.Support;
using UcsMailConfig.Ucs;

namespace UcsMailConfig.Tests.Ucs;

/// <summary>
/// Which opendkim.conf changes need a restart rather than a reload: only the settings
/// opendkim(8) says a reload does not re-read, compared as OpenDKIM reads its file.
/// </summary>
public sealed class OpenDkimStartSettingsTests : IDisposable
{
    // Debian 12's own /etc/opendkim.conf, as the opendkim package installs it (comments left out).
    private const string Debian = """
        Syslog			yes
        SyslogSuccess		yes
        Canonicalization	relaxed/simple
        OversignHeaders		From
        UserID			opendkim
        UMask			007
        Socket			local:/run/opendkim/opendkim.sock
        PidFile			/run/opendkim/opendkim.pid
        TrustAnchorFile		/usr/share/dns/root.key
        """;

    private static readonly ConfigSetting[] Ours =
    [
        new("Syslog", "yes"), new("UserID", "opendkim"), new("UMask", "007"), new("PidFile", "/run/opendkim/opendkim.pid"),
        new("Socket", "inet:12345@localhost"), new("Mode", "s"), new("KeyTable", "/etc/opendkim/KeyTable"),
    ];

    private readonly TempDirectory _directory = new("ucsmail-opendkim-conf");

    [Fact]
    public void Only_a_signing_setting_or_a_table_changed_needs_a_reload()
    {
        var live = Write("""
            Syslog                  yes
            UserID                  opendkim
            UMask                   007
            PidFile                 /run/opendkim/opendkim.pid
            Socket                  inet:12345@localhost   # the milter socket
            Mode                    sv
            KeyTable                /etc/opendkim/KeyTable.old
            """);

        Assert.Empty(OpenDkimStartSettings.Changed(_directory.Path, live, Ours));
    }

    [Fact]
    public void Debian_s_own_configuration_before_the_first_apply_needs_a_restart_for_the_socket()
    {
        Assert.Equal<string>(["Socket"], OpenDkimStartSettings.Changed(_directory.Path, Write(Debian), Ours));
    }

    [Fact]
    public void Names_are_read_as_OpenDKIM_reads_them_and_the_last_line_wins()
    {
        var live = Write("""
            # Socket inet:1@localhost
            userid opendkim
            umask 007
            PidFile /run/opendkim/opendkim.pid
            Socket inet:999@localhost
            Socket inet:12345@localhost
            """);

        Assert.Empty(OpenDkimStartSettings.Changed(_directory.Path, live, Ours));
    }

    [Fact]
    public void A_start_only_setting_that_only_one_side_has_counts_as_changed()
    {
        var live = Write(Debian.Replace("UserID\t\t\topendkim\n", "", StringComparison.Ordinal) + "\nAutoRestart yes\n");

        Assert.Equal<string>(["AutoRestart", "Socket", "UserID"], OpenDkimStartSettings.Changed(_directory.Path, live, Ours));
    }

    [Fact]
    public void Without_a_live_file_every_start_only_setting_counts_as_changed()
    {
        Assert.Equal<string>(["PidFile", "Socket", "UMask", "UserID"], OpenDkimStartSettings.Changed(_directory.Path, "missing.conf", Ours));
    }

    public void Dispose() => _directory.Dispose();

    private string Write(string content)
    {
        var name = $"opendkim-{Guid.NewGuid():N}.conf";
        File.WriteAllText(_directory.Combine(name), content + "\n");
        return name;
    }
}
