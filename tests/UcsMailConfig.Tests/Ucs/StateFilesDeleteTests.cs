using UcsMailConfig.Tests.Support;
using UcsMailConfig.Ucs;

namespace UcsMailConfig.Tests.Ucs;

/// <summary>
/// StateFiles.DeleteManaged removes our own files and folders through their checked folder's
/// descriptor: a symlink inside is removed itself, never followed, and a symlinked or foreign
/// state folder is refused with nothing removed.
/// </summary>
public sealed class StateFilesDeleteTests : IDisposable
{
    private const string Journal = "var/lib/ucs-mail-config/journal";

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Root => _temp.Combine("root");

    private string Victim => _temp.Combine("victim");

    private void PlantVictim()
    {
        Directory.CreateDirectory(Victim);
        File.WriteAllText(Path.Combine(Victim, "keep"), "root's");
    }

    [Fact]
    public void A_journal_folder_goes_with_all_it_holds_and_a_symlink_inside_is_removed_not_followed()
    {
        PlantVictim();
        StateFiles.Write(Root, $"{Journal}/intent.json", "{}"u8);
        StateFiles.Write(Root, $"{Journal}/files/etc/postfix/main.cf", "backup"u8);
        File.CreateSymbolicLink(Path.Combine(Root, Journal, "files/etc/link"), Victim);

        StateFiles.DeleteManaged(Root, $"{Journal}/intent.json");
        Assert.False(File.Exists(Path.Combine(Root, Journal, "intent.json")));
        StateFiles.DeleteManaged(Root, Journal);

        Assert.Equal(["var/lib/ucs-mail-config"], TreeListing.Modes(Root).Keys.Where(p => p.StartsWith("var/lib/ucs", StringComparison.Ordinal)));
        Assert.Equal(["keep"], Directory.GetFileSystemEntries(Victim).Select(Path.GetFileName));

        // Gone already: nothing to do.
        StateFiles.DeleteManaged(Root, Journal);
        StateFiles.DeleteManaged(Root, $"{Journal}/intent.json");
    }

    [Fact]
    public void A_state_folder_that_is_a_symlink_is_refused_and_its_target_is_untouched()
    {
        PlantVictim();
        Directory.CreateDirectory(Path.Combine(Root, "var/lib"));
        Directory.CreateSymbolicLink(Path.Combine(Root, "var/lib/ucs-mail-config"), Victim);

        Assert.Throws<StateRefusedException>(() => StateFiles.DeleteManaged(Root, "var/lib/ucs-mail-config/keep"));
        Assert.Equal("root's", File.ReadAllText(Path.Combine(Victim, "keep")));
    }

    [Fact]
    public void A_journal_folder_others_may_write_is_refused_and_kept()
    {
        StateFiles.Write(Root, $"{Journal}/intent.json", "{}"u8);
        File.SetUnixFileMode(Path.Combine(Root, Journal), (UnixFileMode)0b111_111_111);

        Assert.Throws<StateRefusedException>(() => StateFiles.DeleteManaged(Root, Journal));
        Assert.True(File.Exists(Path.Combine(Root, Journal, "intent.json")));
    }
}
