using System.Collections.Immutable;

namespace UcsMailConfig.Rendering;

/// <summary>
/// The render step's output: generated files by root-relative path (ordinal order, so every
/// listing of it is byte-stable).
/// </summary>
public sealed record RenderedTree(ImmutableSortedDictionary<string, RenderedFile> Files)
{
    /// <summary>Writes every file below <paramref name="directory"/>, creating folders as needed.</summary>
    public void WriteTo(string directory)
    {
        foreach (var file in Files.Values)
        {
            var target = Path.Combine(directory, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllBytes(target, file.Content);
            File.SetUnixFileMode(target, file.Mode);
        }
    }
}
