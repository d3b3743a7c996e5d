using UcsMailConfig.Files;

namespace UcsMailConfig.Ucs;

/// <summary>
/// Compiles the text tables UCR generated into the hash: files Postfix reads (<c>postmap
/// hash:FILE</c> writes FILE.db). UCR does not do this, and a table without its .db makes
/// every delivery that consults it fail with "table lookup problem". postmap reads the
/// instance's main.cf, so it is pointed at the same configuration folder Postfix uses.
/// postmap builds the table as <c>__db.FILE.db</c> beside it and renames that into place; a
/// failed run (a full disk) leaves it behind, and every later postmap then fails with "File
/// exists", so it is removed after a failure and before each run — relative to its folder's
/// descriptor, opened through TrustedRead, so a symlink planted on the way is refused, not followed.
/// </summary>
internal static class Postmap
{
    /// <summary>Where postmap puts the compiled table for <paramref name="table"/>.</summary>
    public static string CompiledPath(string table) => table + ".db";

    /// <summary>
    /// Compiles each table (absolute paths as on the host) below <paramref name="root"/>, with the
    /// main.cf in <paramref name="configDirectory"/>; returns the failing command, or null.
    /// </summary>
    public static CommandRecord? Run(IEnumerable<string> tables, string root, string configDirectory, ToolPaths tools, CommandRunner runner)
    {
        foreach (var relative in tables.Select(t => t.TrimStart('/')))
        {
            var table = Path.Combine(root, relative);
            RemoveLeftover(root, relative);
            var result = runner.Run(tools.Postmap, "-c", configDirectory, "hash:" + table);
            if (!result.Succeeded || result.StandardError.Length > 0)
            {
                RemoveLeftover(root, relative);
                return result;
            }
        }

        return null;
    }

    private static void RemoveLeftover(string root, string table)
    {
        using var folder = TrustedRead.OpenFolder(root, Path.GetDirectoryName(table) ?? "");
        var name = "__db." + Path.GetFileName(table) + ".db";
        if (folder is not null && Posix.TryUnlinkAt(folder, name) is var errno and not 0 and not Posix.NoSuchFile)
        {
            throw new IOException($"cannot remove {Path.Combine(root, Path.GetDirectoryName(table) ?? "", name)}: {Posix.Describe(errno)}");
        }
    }
}
