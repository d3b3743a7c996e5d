using System.Security.Cryptography;
using UcsMailConfig.Files;

namespace UcsMailConfig.Ucs;

/// <summary>
/// dpkg's record of the configuration files its packages shipped: the <c>Conffiles:</c> field
/// of var/lib/dpkg/status below a root, one <c> /PATH MD5 [obsolete]</c> line per file. Tells
/// which stock UCS templates an admin changed. A host without the record has no changed files.
/// The record and the files it names are read as <see cref="TrustedRead"/> reads (a symlink or a
/// file others can write is refused, never followed).
/// </summary>
internal static class DpkgConffiles
{
    public const string StatusPath = "var/lib/dpkg/status";

    /// <summary>The absolute paths below <paramref name="prefix"/> whose file below the root no longer has the recorded MD5 sum, sorted.</summary>
    public static IReadOnlyList<string> Modified(string root, string prefix)
    {
        var modified = new SortedSet<string>(StringComparer.Ordinal);
        var inConffiles = false;
        foreach (var line in TrustedRead.Lines(root, StatusPath))
        {
            if (line.Length == 0 || !char.IsWhiteSpace(line[0]))
            {
                inConffiles = line.StartsWith("Conffiles:", StringComparison.Ordinal);
                continue;
            }

            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // An obsolete conffile is no longer the package's: nothing to compare with.
            if (!inConffiles || fields.Length != 2 || !fields[0].StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (TrustedRead.Bytes(root, fields[0].TrimStart('/')) is { } content && !Convert.ToHexStringLower(MD5.HashData(content)).Equals(fields[1], StringComparison.OrdinalIgnoreCase))
            {
                modified.Add(fields[0]);
            }
        }

        return [.. modified];
    }

    /// <summary>The package whose Conffiles: field lists <paramref name="path"/> (absolute), or null.</summary>
    public static string? PackageOf(string root, string path)
    {
        string? package = null;
        foreach (var line in TrustedRead.Lines(root, StatusPath))
        {
            if (line.StartsWith("Package:", StringComparison.Ordinal))
            {
                package = line["Package:".Length..].Trim();
            }
            else if (line.Length > 0 && char.IsWhiteSpace(line[0]) && line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var file, ..] && file == path)
            {
                return package;
            }
        }

        return null;
    }
}
