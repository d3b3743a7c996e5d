using UcsMailConfig.Rendering;
using UcsMailConfig.Ucs.Layout;

namespace UcsMailConfig.Ucs;

/// <summary>
/// What state.json and a journal may name: the files the tool writes or has UCR and postmap
/// generate (relative to the root), the UCR variables of the stock parameters the policy may set, and the modes the tool
/// writes. Anything else in them was not written by the tool and is refused before use.
/// </summary>
internal static class ManagedPaths
{
    private static readonly HashSet<string> Files = BuildFiles();

    private static readonly HashSet<string> Variables = StockUcsParameters.All
        .Where(e => e.UcrVariable is not null)
        .Select(e => e.UcrVariable!)
        .ToHashSet(StringComparer.Ordinal);

    // Only the owner's and everyone's read/write/execute: no setuid, setgid, sticky, group or other write.
    private const UnixFileMode ForbiddenModeBits = UnixFileMode.SetUser | UnixFileMode.SetGroup | UnixFileMode.StickyBit
        | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    public static bool IsFile(string path) => Files.Contains(path);

    public static bool IsVariable(string name) => Variables.Contains(name);

    public static bool IsMode(int mode) => mode >= 0 && mode <= 0b111_111_111 && ((UnixFileMode)mode & ForbiddenModeBits) == 0;

    /// <summary>The nearest mode the tool writes: <paramref name="mode"/> without the bits <see cref="IsMode"/> refuses.</summary>
    public static int Allowed(int mode) => mode & 0b111_111_111 & ~(int)ForbiddenModeBits;

    /// <summary>A UCR value goes to <c>ucr set</c> as one argument and into base.conf as one line.</summary>
    public static bool IsValue(string? value) => value is null || !value.Any(char.IsControl);

    private static HashSet<string> BuildFiles()
    {
        var files = new HashSet<string>(StringComparer.Ordinal) { ApplyState.RelativePath };
        foreach (var template in TemplateCatalog.All)
        {
            var output = TemplateCatalog.OutputPath(template);
            files.Add(output);
            if (UcrTargets.For(output) is { } target)
            {
                files.Add(target.TrimStart('/'));
                if (UcrTargets.IsPostfix(target) && target != UcrTargets.MainCf)
                {
                    files.Add(Postmap.CompiledPath(target).TrimStart('/'));
                }
            }
        }

        return files;
    }
}
