namespace UcsMailConfig.Ucs;

/// <summary>
/// Reads UCR variable values straight from the registry files (read-only), so that an
/// unchanged apply runs no program at all. UCR keeps <c>key: value</c> lines in
/// etc/univention/base.conf; values in base-forced.conf take precedence. Writing always
/// goes through <c>ucr set</c>/<c>ucr unset</c>.
/// </summary>
internal static class UcrRegistryFile
{
    public const string BaseConf = "etc/univention/base.conf";
    public const string ForcedConf = "etc/univention/base-forced.conf";

    public static IReadOnlyDictionary<string, string> Read(string root)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in new[] { BaseConf, ForcedConf })
        {
            var path = Path.Combine(root, file);
            if (!File.Exists(path))
            {
                continue;
            }

            foreach (var line in File.ReadLines(path))
            {
                var colon = line.IndexOf(": ", StringComparison.Ordinal);
                if (line.StartsWith('#') || colon <= 0)
                {
                    continue;
                }

                values[line[..colon]] = line[(colon + 2)..];
            }
        }

        return values;
    }
}
