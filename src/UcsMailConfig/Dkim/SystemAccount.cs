using System.Globalization;

namespace UcsMailConfig.Dkim;

/// <summary>
/// A local system account, looked up in /etc/passwd, where Debian (and so UCS) keeps system
/// users such as <c>opendkim</c>, which the opendkim package creates and OpenDKIM runs as.
/// </summary>
internal sealed record SystemAccount(string Name, uint UserId, uint GroupId)
{
    public const string OpenDkim = "opendkim";

    private const string PasswdFile = "/etc/passwd";

    /// <summary>The account named <paramref name="name"/>, or null when there is none.</summary>
    public static SystemAccount? Find(string name) => All().FirstOrDefault(a => a.Name == name);

    /// <summary>How messages name the owner <paramref name="userId"/>: its account name and number.</summary>
    public static string NameOf(uint userId) =>
        All().FirstOrDefault(a => a.UserId == userId) is { } account ? $"{account.Name} (uid {userId})" : $"uid {userId}";

    private static IEnumerable<SystemAccount> All()
    {
        if (!File.Exists(PasswdFile))
        {
            yield break;
        }

        foreach (var line in File.ReadLines(PasswdFile))
        {
            var fields = line.Split(':');
            if (fields.Length >= 4
                && uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
                && uint.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var gid))
            {
                yield return new SystemAccount(fields[0], uid, gid);
            }
        }
    }
}
