namespace UcsMailConfig.Ucs;

/// <summary>
/// Compiles the text tables UCR generated into the hash: files Postfix reads (<c>postmap
/// hash:FILE</c> writes FILE.db). UCR does not do this, and a table without its .db makes
/// every delivery that consults it fail with "table lookup problem". postmap reads the
/// instance's main.cf, so it is pointed at the same configuration folder Postfix uses.
/// postmap builds the table as <c>__db.FILE.db</c> beside it and renames that into place; a
/// failed run (a full disk) leaves it behind, and every later postmap then fails with "File
/// exists", so it is removed after a failure and before each run.
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
        foreach (var table in tables.Select(t => Path.Combine(root, t.TrimStart('/'))))
        {
            var leftover = Path.Combine(Path.GetDirectoryName(table)!, "__db." + Path.GetFileName(table) + ".db");
            File.Delete(leftover);
            var result = runner.Run(tools.Postmap, "-c", configDirectory, "hash:" + table);
            if (!result.Succeeded || result.StandardError.Length > 0)
            {
                File.Delete(leftover);
                return result;
            }
        }

        return null;
    }
}
