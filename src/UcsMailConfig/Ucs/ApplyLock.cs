using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using UcsMailConfig.Files;

namespace UcsMailConfig.Ucs;

/// <summary>
/// One apply at a time per root: an exclusive flock on var/lib/ucs-mail-config/lock (root's
/// 0600 in a 0700 folder, so no other user can open it, let alone hold it; released by the
/// kernel if the process dies), with the holder's pid and start time in lock.holder beside it.
/// diff and apply --check share the lock, and only when it already exists: they create
/// nothing. A waiter says once whom it waits for, checks every 100 ms, and past the wait
/// gives up with a refusal naming the holder.
/// </summary>
public sealed partial class ApplyLock : IDisposable
{
    public const string RelativePath = StateFiles.Directory + "lock";

    public const string HolderRelativePath = StateFiles.Directory + "lock.holder";

    /// <summary>How long a command waits for the lock unless told otherwise.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(60);

    private readonly FileStream _stream;
    private readonly string? _holderRoot;

    private ApplyLock(FileStream stream, string? holderRoot)
    {
        _stream = stream;
        _holderRoot = holderRoot;
    }

    /// <summary>
    /// Takes the lock; <paramref name="readOnly"/>: shared, and null (no lock taken, nothing
    /// created) when there is no lock file. Throws <see cref="StateRefusedException"/> when the
    /// lock is still held after <paramref name="wait"/> or cannot be trusted, and
    /// <see cref="OperationCanceledException"/> when <paramref name="interrupt"/> ends the wait.
    /// </summary>
    public static ApplyLock? Acquire(string root, TimeSpan wait, bool readOnly, Action<string> waiting, CancellationToken interrupt)
    {
        var handle = StateFiles.Open(root, RelativePath, readOnly ? Posix.ReadOnly : Posix.ReadWrite, create: !readOnly);
        if (handle is null)
        {
            return null;
        }

        var stream = new FileStream(handle, readOnly ? FileAccess.Read : FileAccess.ReadWrite, bufferSize: 0);
        try
        {
            var deadline = DateTime.UtcNow + wait;
            var operation = (readOnly ? Posix.LockShared : Posix.LockExclusive) | Posix.LockNonBlocking;
            var told = false;
            while (!Posix.TryLock(handle, operation, out var errno))
            {
                if (errno != Posix.WouldBlock)
                {
                    throw new IOException($"cannot lock {Path.Combine(root, RelativePath)}: {Posix.Describe(errno)}");
                }

                // A signal ends the wait at once: nothing has been changed yet.
                interrupt.ThrowIfCancellationRequested();
                if (DateTime.UtcNow >= deadline)
                {
                    throw new StateRefusedException($"the lock {Path.Combine(root, RelativePath)} is held by another process ({Holder(root)}) and was not released within {wait.TotalSeconds:0} s, so nothing was changed: let that run finish (or check what the pid is), then try again");
                }

                if (!told)
                {
                    waiting($"waiting for the lock held by another process ({Holder(root)}; up to {wait.TotalSeconds:0} s)");
                    told = true;
                }

                interrupt.WaitHandle.WaitOne(100);
            }

            if (readOnly)
            {
                return new ApplyLock(stream, holderRoot: null);
            }

            var since = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            StateFiles.Write(root, HolderRelativePath, Encoding.ASCII.GetBytes($"pid {Environment.ProcessId} since {since}\n"));
            return new ApplyLock(stream, root);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// What lock.holder says, for a person, and no more: it may be left over from a run that
    /// could not remove it, while the lock is held by a diff. Read only after the usual checks.
    /// </summary>
    private static string Holder(string root)
    {
        string? recorded;
        try
        {
            recorded = StateFiles.Read(root, HolderRelativePath) is { } bytes ? Encoding.ASCII.GetString(bytes) : null;
        }
        catch (Exception e) when (e is StateRefusedException or IOException)
        {
            recorded = null;
        }

        return recorded is not null && HolderLine().Match(recorded) is { Success: true } match
            ? $"lock.holder says {match.Groups[1].Value}"
            : "lock.holder names none: an apply --check, a diff, or an older ucs-mail-config";
    }

    public void Dispose()
    {
        // The holder goes first: while the lock is held nobody else writes it. One left behind
        // is harmless (a waiter only repeats what it says), so it never replaces the apply's result.
        // Removed relative to the state folder's descriptor, so a symlink planted on the way cannot redirect it.
        if (_holderRoot is not null)
        {
            try
            {
                StateFiles.DeleteManaged(_holderRoot, HolderRelativePath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or StateRefusedException)
            {
            }
        }

        _stream.Dispose();
    }

    [GeneratedRegex(@"\A(pid [0-9]{1,10} since [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z)\n\z")]
    private static partial Regex HolderLine();
}
