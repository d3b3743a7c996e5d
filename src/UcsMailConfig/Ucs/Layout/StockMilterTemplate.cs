using UcsMailConfig.Policy.Values;

namespace UcsMailConfig.Ucs.Layout;

/// <summary>
/// Which milter parameters a host's stock <c>main.cf.d/70_milter</c> writes from UCR variables
/// (UCS-FACTS.md, "The stock UCS Postfix configuration"), and how our milters are named there.
/// The one owner of those names: derive asks it which parameters go through variables and
/// which our fragment writes; the host reader in Ucs/ fills it in; nothing else spells them.
/// 70_milter writes <c>PARAMETER = V1 V2 …</c> from the variables <c>mail/postfix/PARAMETER/*</c>,
/// sorted by key (plain string order), and nothing when there is none.
/// </summary>
internal sealed record StockMilterTemplate(bool WritesSmtpd, bool WritesNonSmtpd)
{
    public const string SmtpdMilters = "smtpd_milters";
    public const string NonSmtpdMilters = "non_smtpd_milters";

    /// <summary>The subfile path the stock template is registered as (in a .info, no leading slash).</summary>
    public const string Subfile = "etc/postfix/main.cf.d/70_milter";

    /// <summary>
    /// Our keys start with "50_" so that an admin's or another package's entry can run before
    /// ours (keys "00"…"49") or after ours ("51"…"99", or a key starting with a letter).
    /// </summary>
    private const string OurKeyPrefix = "50_ucs-mail-config_";

    /// <summary>No 70_milter registered: our fragment writes both parameters.</summary>
    public static readonly StockMilterTemplate None = new(false, false);

    /// <summary>
    /// univention-mail-postfix's 70_milter as read (commit 00d4d6e9): smtpd_milters only. What
    /// <c>render</c> assumes, since it never reads a host.
    /// </summary>
    public static readonly StockMilterTemplate Ucs5 = new(true, false);

    public static IReadOnlyList<string> Parameters { get; } = [SmtpdMilters, NonSmtpdMilters];

    public bool Writes(string parameter) => parameter == SmtpdMilters ? WritesSmtpd : WritesNonSmtpd;

    /// <summary>The variable prefix 70_milter reads for a parameter: <c>mail/postfix/smtpd_milters/</c>.</summary>
    public static string VariablePrefix(string parameter) => $"mail/postfix/{parameter}/";

    /// <summary>
    /// The variable for the milter at <paramref name="position"/> (0-based) of a chain of
    /// <paramref name="count"/>: the position zero-padded to one width, so that key order is
    /// chain order, then the name for the admin who reads <c>ucr search</c>.
    /// </summary>
    public static string OurVariable(string parameter, int position, int count, string name)
    {
        var width = Math.Max(2, count.ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        var number = (position + 1).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width, '0');
        return $"{VariablePrefix(parameter)}{OurKeyPrefix}{number}_{name}";
    }

    /// <summary>
    /// The table entry of one of our milter variables: it feeds <paramref name="parameter"/>
    /// through 70_milter, beside others' entries, so Postfix's value is a list that holds it.
    /// </summary>
    public static StockUcsParameters.Entry Entry(string variable, string parameter) =>
        new(parameter, variable, PolicyKey: null, Hint: $"written by 70_milter from {VariablePrefix(parameter)}*");

    /// <summary>
    /// What a milter list must hold after a commit: our sockets, in the
    /// policy's order, with anything others' variables add before, between or after them.
    /// </summary>
    public static PostfixValue Holding(IEnumerable<string> ours) => new MilterEntries(string.Join(' ', ours));

    /// <summary>A milter variable of either parameter, ours or not.</summary>
    public static bool IsMilterVariable(string name) => Parameters.Any(p => name.StartsWith(VariablePrefix(p), StringComparison.Ordinal));

    /// <summary>
    /// A name <see cref="OurVariable"/> makes, and nothing else: state.json and a journal may
    /// name only those (a tampered one is refused before it reaches <c>ucr</c>).
    /// </summary>
    public static bool IsOurs(string name)
    {
        var prefix = ParameterOf(name) is { } parameter ? VariablePrefix(parameter) + OurKeyPrefix : null;
        if (prefix is null || !name.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = name[prefix.Length..];
        var separator = rest.IndexOf('_', StringComparison.Ordinal);
        return separator >= 2 && rest[..separator].All(char.IsAsciiDigit) && Identifiers.IsMilterName(rest[(separator + 1)..]);
    }

    /// <summary>The parameter a milter variable feeds (null for any other variable).</summary>
    public static string? ParameterOf(string name) => Parameters.FirstOrDefault(p => name.StartsWith(VariablePrefix(p), StringComparison.Ordinal));

    /// <summary>What 70_milter writes from these variables: the values in key order, joined by spaces.</summary>
    public static string Joined(IEnumerable<KeyValuePair<string, string>> variables) =>
        string.Join(' ', variables.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => v.Value));
}
