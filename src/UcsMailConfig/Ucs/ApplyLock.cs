namespace UcsMailConfig.Ucs;

/// <summary>
/// One apply at a time per root: an exclusive lock on var/lib/ucs-mail-config/lock (flock,
/// released by the kernel if the process dies). A second apply waits up to the given time,
/// checking every 100 ms, then gives up with a clear message.
/// </summary>
public sealed class ApplyLock : IDisposable
{
    public const string RelativePath = "var/lib/ucs-mail-config/lock";

    private readonly FileStream _stream;

    private ApplyLock(FileStream stream) => _stream = stream;

    public static ApplyLock Acquire(string root, TimeSpan wait)
    {
        var path = Path.Combine(root, RelativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            try
            {
                // .NET takes FileShare.None as an exclusive flock on Linux.
                return new ApplyLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }
            catch (IOException e)
            {
                throw new TimeoutException($"another ucs-mail-config apply holds {path} and did not finish within {wait.TotalSeconds:0} s; try again later ({e.Message})", e);
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
