using System.Globalization;

namespace UcsMailConfig.Dkim;

/// <summary>
/// A local system account, looked up in /etc/passwd, where Debian (and so UCS) keeps system
/// users such as <c>opendkim</c>, which the opendkim package creates and OpenDKIM runs as.
/// </summary>
internal sealed record SystemAccount(string Name, uint UserId, uint GroupId)
{
    public const string OpenDkim = "opendkim";

    /// <summary>The account named <paramref name="name"/>, or null when there is none.</summary>
    public static SystemAccount? Find(string name, string passwdFile = "/etc/passwd")
    {
        if (!File.Exists(passwdFile))
        {
            return null;
        }

        foreach (var line in File.ReadLines(passwdFile))
        {
            var fields = line.Split(':');
            if (fields.Length >= 4 && fields[0] == name
                && uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
                && uint.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var gid))
            {
                return new SystemAccount(name, uid, gid);
            }
        }

        return null;
    }

    public void Own(string path) => Posix.Chown(path, UserId, GroupId);
}
