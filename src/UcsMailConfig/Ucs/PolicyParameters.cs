using UcsMailConfig.Rendering.Derive;
using UcsMailConfig.Ucs.Layout;

namespace UcsMailConfig.Ucs;

/// <summary>
/// The Postfix parameters a policy decides, with the value it means, and what <c>postconf</c>
/// says the live main.cf gives them: the effective state that drift detection and
/// <c>status</c> compare. A UCR-backed parameter names its variable (the mapping is
/// <see cref="StockUcsParameters"/>'s, and so is how its value compares); the others are
/// written by our own fragment and compare word for word.
/// </summary>
internal static class PolicyParameters
{
    /// <summary>One parameter: the value the policy means (typed where UCS's table knows its kind), and its UCR variable, if any.</summary>
    public sealed record Expected(string Parameter, string Value, string? UcrVariable, PostfixValue? Typed)
    {
        /// <summary>Whether Postfix's <paramref name="effective"/> value is the one the policy means.</summary>
        public bool IsMetBy(string effective) => Typed?.IsMetBy(effective) ?? Same(Value, effective);

        /// <summary>smtpd_milters or non_smtpd_milters: ours to write, or 70_milter's from our variables.</summary>
        public bool IsMilterList => StockMilterTemplate.Parameters.Contains(Parameter);
    }

    /// <summary>
    /// Every parameter the policy decides, once: a stock parameter through its UCR variable; a
    /// milter list that 70_milter writes through our variables, which it must hold in order
    /// beside others' entries; and our fragment's settings.
    /// </summary>
    public static IReadOnlyList<Expected> Of(RenderModel model) =>
    [
        .. model.UcrVariables.Where(v => !StockMilterTemplate.IsMilterVariable(v.Name))
            .Select(v => new Expected(v.Parameter.Parameter, v.Value.Text, v.Name, v.Value)),
        .. model.UcrVariables.Where(v => StockMilterTemplate.IsMilterVariable(v.Name))
            .GroupBy(v => v.Parameter.Parameter)
            .Select(OurMilterEntries),
        .. model.MainCf.SelectMany(s => s.Settings).Select(s => new Expected(s.Name, s.Value, null, StockUcsParameters.ValueOf(s.Name, s.Value))),
    ];

    private static Expected OurMilterEntries(IGrouping<string, UcrVariableSetting> list)
    {
        var held = StockMilterTemplate.Holding(list.OrderBy(v => v.Name, StringComparer.Ordinal).Select(v => v.Value.Text));
        return new Expected(list.Key, held.Text, StockMilterTemplate.VariablePrefix(list.Key) + "*", held);
    }

    /// <summary>
    /// The values <c>postconf -c ROOT/etc/postfix NAME…</c> prints (defaults included), by name;
    /// null, with the command in <paramref name="failed"/>, when postconf cannot read the file.
    /// Asked by name rather than with -h, so that a name postconf does not know cannot shift the answers.
    /// </summary>
    public static IReadOnlyDictionary<string, string>? Effective(string root, IEnumerable<string> names, ToolPaths tools, CommandRunner runner, out CommandRecord? failed)
    {
        failed = null;
        var list = names.Distinct(StringComparer.Ordinal).ToArray();
        if (list.Length == 0)
        {
            return new Dictionary<string, string>();
        }

        var postconf = runner.Run(tools.Postconf, ["-c", Path.Combine(root, "etc/postfix"), .. list]);
        if (!postconf.Succeeded)
        {
            failed = postconf;
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in postconf.StandardOutput.Split('\n'))
        {
            var equals = line.IndexOf(" =", StringComparison.Ordinal);
            if (equals > 0)
            {
                values[line[..equals]] = line[(equals + 2)..].Trim();
            }
        }

        return values;
    }

    /// <summary>Postfix joins a value's lines and words with white space; so does the comparison.</summary>
    private static bool Same(string a, string b) =>
        a.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).SequenceEqual(b.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
}
