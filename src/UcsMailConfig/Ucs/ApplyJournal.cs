using System.Text.Json;

namespace UcsMailConfig.Ucs;

/// <summary>
/// The write-ahead journal of one apply: a copy of every file the apply may change (our
/// templates, UCR's generated targets, compiled Postfix tables, our state) and the old value of every UCR variable it
/// sets, taken before anything changes. The intent file is written last, so its presence
/// means "an apply may have changed things and did not finish"; the next run restores from
/// it before planning. Removed when the apply is complete or rolled back.
/// </summary>
public sealed class ApplyJournal
{
    public const string RelativeDirectory = "var/lib/ucs-mail-config/journal";

    /// <summary>What must be put back: files (with whether they existed), variables, UCR targets to commit again.</summary>
    public sealed record Intent(IReadOnlyList<SavedFile> Files, IReadOnlyList<SavedVariable> Variables, bool RegistrationChanged, IReadOnlyList<string> Targets);

    public sealed record SavedFile(string Path, bool Existed, int Mode);

    public sealed record SavedVariable(string Name, string? Value);

    private readonly string _root;

    private ApplyJournal(string root, Intent content)
    {
        _root = root;
        Content = content;
    }

    public Intent Content { get; }

    private string Directory => Path.Combine(_root, RelativeDirectory);

    private string IntentPath => Path.Combine(Directory, "intent.json");

    private string BackupPath(string relative) => Path.Combine(Directory, "files", relative);

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
        var journal = new ApplyJournal(root, new Intent(
            [.. paths.Select(p => new SavedFile(p, File.Exists(Path.Combine(root, p)), File.Exists(Path.Combine(root, p)) ? (int)File.GetUnixFileMode(Path.Combine(root, p)) : 0))],
            [.. plan.Variables.Select(v => new SavedVariable(v.Name, v.OldValue))],
            plan.Registration != RegistrationChange.None,
            plan.CommitTargets));

        if (System.IO.Directory.Exists(journal.Directory))
        {
            System.IO.Directory.Delete(journal.Directory, recursive: true);
        }

        System.IO.Directory.CreateDirectory(journal.Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (var file in journal.Content.Files.Where(f => f.Existed))
        {
            AtomicFile.Write(journal.BackupPath(file.Path), File.ReadAllBytes(Path.Combine(root, file.Path)), (UnixFileMode)file.Mode);
        }

        AtomicFile.Write(journal.IntentPath, JsonSerializer.SerializeToUtf8Bytes(journal.Content, StateJsonContext.Default.Intent),
            UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return journal;
    }

    /// <summary>The journal an interrupted apply left, or null.</summary>
    public static ApplyJournal? Pending(string root)
    {
        var path = Path.Combine(root, RelativeDirectory, "intent.json");
        if (!File.Exists(path))
        {
            return null;
        }

        var intent = JsonSerializer.Deserialize(File.ReadAllBytes(path), StateJsonContext.Default.Intent)
            ?? throw new InvalidDataException($"{path} is empty");
        return new ApplyJournal(root, intent);
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
                    AtomicFile.Delete(target);
                    continue;
                }

                var backup = File.ReadAllBytes(BackupPath(file.Path));
                var mode = (UnixFileMode)file.Mode;
                if (!File.Exists(target) || File.GetUnixFileMode(target) != mode || !File.ReadAllBytes(target).AsSpan().SequenceEqual(backup))
                {
                    AtomicFile.Write(target, backup, mode);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                failures.Add($"{file.Path} ({(file.Existed ? "cannot put back the old content" : "cannot remove it")}: {e.Message})");
            }
        }

        return failures;
    }

    /// <summary>Where the backups are, for a message when even the rollback failed.</summary>
    public string Location => Directory;

    public void Finish()
    {
        // The intent goes first: without it, leftover backups mean nothing.
        AtomicFile.Delete(IntentPath);
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
