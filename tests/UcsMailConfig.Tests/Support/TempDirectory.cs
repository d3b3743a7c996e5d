namespace UcsMailConfig.Tests.Support;

/// <summary>
/// A fresh directory, deleted on dispose: under the system temp folder, or under
/// <c>parent</c> when given (created 0755 if missing; the new directory is 0755 too, so
/// daemons that drop root, such as OpenDKIM, can reach files below it).
/// </summary>
public sealed class TempDirectory : IDisposable
{
    private const UnixFileMode Traversable = (UnixFileMode)0b111_101_101;

    public TempDirectory(string prefix = "ucsmail-test", string? parent = null)
    {
        if (parent is null)
        {
            Path = Directory.CreateTempSubdirectory(prefix + "-").FullName;
            return;
        }

        Directory.CreateDirectory(parent, Traversable);
        Path = System.IO.Path.Combine(parent, $"{prefix}-{Guid.NewGuid():N}"[..^20]);
        Directory.CreateDirectory(Path, Traversable);
        File.SetUnixFileMode(Path, Traversable);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
