using System.Text.Json;

namespace UcsMailConfig.Ucs;

/// <summary>
/// The write-ahead journal of one apply: a copy of every file the apply may change (our
/// templates, UCR's generated targets, compiled Postfix tables, our state) and the old value of every UCR variable it
/// sets, taken before anything changes. The intent file is written last, so its presence
/// means "an apply may have changed things and did not finish"; the next apply restores from
/// it before planning, and diff and apply --check plan against what it would restore. Removed
/// when the apply is complete or rolled back. The journal is the tool's own state
/// (<see cref="StateFiles"/>: root's, 0700/0600, no symlinks), and an intent that names a file,
/// variable or mode the tool never writes, a backup that is missing, or a saved state.json that
/// is not a valid state, is refused whole before anything is restored. Begin refuses a live
/// file whose mode the tool never writes, as such a journal could not be recovered.
/// </summary>
internal sealed class ApplyJournal
{
    public const string RelativeDirectory = StateFiles.Directory + "journal";

    /// <summary>What diff and apply --check say first when they find an interrupted apply's journal.</summary>
    public const string MustRecover = "an interrupted apply must be recovered: run apply";

    private const string IntentFile = RelativeDirectory + "/intent.json";

    /// <summary>What must be put back: files (with whether they existed), variables, UCR targets to commit again.</summary>
    public sealed record Intent(IReadOnlyList<SavedFile> Files, IReadOnlyList<SavedVariable> Variables, bool RegistrationChanged, IReadOnlyList<string> Targets);

    public sealed record SavedFile(string Path, bool Existed, int Mode);

    public sealed record SavedVariable(string Name, string? Value);

    private readonly string _root;

    // The backups, read (and checked) once: a rollback or recovery needs no further read of the journal.
    private readonly Dictionary<string, byte[]> _backups;

    private ApplyJournal(string root, Intent content, Dictionary<string, byte[]> backups)
    {
        _root = root;
        Content = content;
        _backups = backups;
    }

    public Intent Content { get; }

    /// <summary>Where the backups are, for a message when even the rollback failed.</summary>
    public string Location => Path.Combine(_root, RelativeDirectory);

    private static string BackupPath(string relative) => $"{RelativeDirectory}/files/{relative}";

    /// <summary>Backs up everything <paramref name="plan"/> may change, then records the intent.</summary>
    public static ApplyJournal Begin(string root, ApplyPlan plan)
    {
        // A compiled table is backed up as bytes, so a rollback needs no postmap run.
        var paths = plan.Files.Select(f => f.Path)
            .Concat(plan.CommitTargets.Select(t => t.TrimStart('/')))
            .Concat(plan.PostmapTargets.Select(t => Postmap.CompiledPath(t).TrimStart('/')))
            .Append(ApplyState.RelativePath)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        var backups = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var files = new List<SavedFile>();
        foreach (var path in paths)
        {
            var live = Path.Combine(root, path);
            var existed = File.Exists(live);
            var mode = existed ? (int)File.GetUnixFileMode(live) : 0;
            if (existed && !ManagedPaths.IsMode(mode))
            {
                // Pending would refuse this mode, so a journal holding it could never be recovered.
                throw new StateRefusedException($"{live} has the mode {Convert.ToString(mode, 8)} (setuid, setgid, sticky, or writable by group or others), which ucs-mail-config never writes and so cannot put back after a failure; nothing was changed: run 'chmod {Convert.ToString(ManagedPaths.Allowed(mode), 8)} {live}', then apply again");
            }

            if (existed)
            {
                backups[path] = File.ReadAllBytes(live);
            }

            files.Add(new SavedFile(path, existed, mode));
        }

        var journal = new ApplyJournal(root, new Intent(
            files,
            [.. plan.Variables.Select(v => new SavedVariable(v.Name, v.OldValue))],
            plan.Registration != RegistrationChange.None,
            plan.CommitTargets), backups);

        // Leftovers without an intent mean nothing (Pending found none).
        StateFiles.DeleteManaged(root, RelativeDirectory);

        foreach (var (path, content) in backups)
        {
            StateFiles.Write(root, BackupPath(path), content);
        }

        StateFiles.Write(root, IntentFile, JsonSerializer.SerializeToUtf8Bytes(journal.Content, StateJsonContext.Default.Intent));
        return journal;
    }

    /// <summary>
    /// The journal an interrupted apply left, or null. Reads only: nothing is restored here.
    /// Throws <see cref="StateRefusedException"/> when the journal cannot be trusted.
    /// </summary>
    public static ApplyJournal? Pending(string root)
    {
        if (StateFiles.Read(root, IntentFile) is not { } json)
        {
            return null;
        }

        var intentPath = Path.Combine(root, IntentFile);
        Intent? intent;
        try
        {
            intent = JsonSerializer.Deserialize(json, StateJsonContext.Default.Intent);
        }
        catch (JsonException e)
        {
            throw Refusal(root, $"{intentPath} is not valid JSON ({e.Message.ReplaceLineEndings(" ")})");
        }

        if (intent?.Files is null || intent.Variables is null || intent.Targets is null)
        {
            throw Refusal(root, $"{intentPath} lacks its files, variables or targets");
        }

        var problem =
            intent.Files.FirstOrDefault(f => f?.Path is null || !ManagedPaths.IsFile(f.Path)) is { } file ? $"names the file {ApplyState.Quote(file?.Path ?? "")}, which is not one ucs-mail-config manages (absolute, with '..' or outside its files)"
            : intent.Files.FirstOrDefault(f => f.Existed && !ManagedPaths.IsMode(f.Mode)) is { } mode ? $"gives {mode.Path} the mode {Convert.ToString(mode.Mode, 8)}, which ucs-mail-config never writes (setuid, setgid, sticky, or writable by others)"
            : intent.Variables.FirstOrDefault(v => v?.Name is null || !ManagedPaths.IsVariable(v.Name) || !ManagedPaths.IsValue(v.Value)) is { } variable ? $"names the UCR variable {ApplyState.Quote(variable?.Name ?? "")} or a value ucs-mail-config never sets"
            : intent.Targets.FirstOrDefault(t => t is null || !t.StartsWith('/') || !ManagedPaths.IsFile(t[1..])) is { } target ? $"names the UCR target {ApplyState.Quote(target ?? "")}, which ucs-mail-config does not manage"
            : null;
        if (problem is not null)
        {
            throw Refusal(root, $"{intentPath} {problem}");
        }

        var backups = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var saved in intent.Files.Where(f => f.Existed))
        {
            backups[saved.Path] = StateFiles.Read(root, BackupPath(saved.Path))
                ?? throw Refusal(root, $"{intentPath} names the backup {Path.Combine(root, BackupPath(saved.Path))}, which is missing");
        }

        // The state.json it would put back is the next plan's input: refused now, before anything is restored.
        if (backups.TryGetValue(ApplyState.RelativePath, out var state) && ApplyState.ProblemOf(state) is { } stateProblem)
        {
            throw Refusal(root, $"{Path.Combine(root, BackupPath(ApplyState.RelativePath))}, the backup of state.json, {stateProblem}");
        }

        return new ApplyJournal(root, intent, backups);
    }

    /// <summary>
    /// What recovering would leave at <paramref name="relative"/>: true when the journal saved
    /// that file, with its old content and mode (content null: the file did not exist).
    /// </summary>
    public bool TryGetSaved(string relative, out byte[]? content, out UnixFileMode mode)
    {
        var saved = Content.Files.FirstOrDefault(f => f.Path == relative);
        content = saved is { Existed: true } ? _backups[relative] : null;
        mode = (UnixFileMode)(saved?.Mode ?? 0);
        return saved is not null;
    }

    /// <summary>
    /// Puts every saved file back as it was (removing those that did not exist) and returns one
    /// line per file it could not put back. Continues past such a file, so that one failure
    /// leaves only that file different; removals go first, so that a full disk has room for
    /// the rest; a file that already is as it was is not written at all.
    /// </summary>
    public IReadOnlyList<string> RestoreFiles()
    {
        var failures = new List<string>();
        foreach (var file in Content.Files.OrderBy(f => f.Existed))
        {
            var target = Path.Combine(_root, file.Path);
            try
            {
                if (!file.Existed)
                {
                    StateFiles.DeleteManaged(_root, file.Path);
                    continue;
                }

                var backup = _backups[file.Path];
                // Our state is root's 0600 whatever mode it had when it was saved.
                var mode = file.Path == ApplyState.RelativePath ? StateFiles.FileMode : (UnixFileMode)file.Mode;
                if (!File.Exists(target) || File.GetUnixFileMode(target) != mode || !File.ReadAllBytes(target).AsSpan().SequenceEqual(backup))
                {
                    StateFiles.WriteManaged(_root, file.Path, backup, mode);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or StateRefusedException)
            {
                failures.Add($"{file.Path} ({(file.Existed ? "cannot put back the old content" : "cannot remove it")}: {e.Message})");
            }
        }

        return failures;
    }

    public void Finish()
    {
        // The intent goes first: without it, leftover backups mean nothing.
        StateFiles.DeleteManaged(_root, IntentFile);
        StateFiles.DeleteManaged(_root, RelativeDirectory);
    }

    private static StateRefusedException Refusal(string root, string problem) =>
        new($"{problem}; it was not written by ucs-mail-config or is damaged, so nothing was restored or changed: check what an interrupted apply left half-done (the backups are in {Path.Combine(root, RelativeDirectory, "files")}), put back by hand what you need, remove {Path.Combine(root, RelativeDirectory)}, then run apply");
}
