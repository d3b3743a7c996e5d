using System.Text.RegularExpressions;
using UcsMailConfig.Policy.Model;
using UcsMailConfig.Policy.Values;

namespace UcsMailConfig.Dkim;

/// <summary>
/// Names the next selector of a rotation after the day it starts (<c>20261128</c>), with a
/// suffix (<c>20261128-2</c>, <c>-3</c>, ...) when that name is taken by a selector of the
/// policy or by an existing key file. Names differ from taken ones in any letter case, since
/// DNS does not tell case apart. A rotation under way (<see cref="Underway"/>) is finished
/// before another starts, so that a second run does not quietly make a second pending key.
/// </summary>
public static partial class DkimRotation
{
    private const int MaxSuffix = 99;

    public static string NextSelector(DateOnly day, Func<string, bool> isTaken)
    {
        var first = day.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        var name = first;
        for (var suffix = 2; isTaken(name); suffix++)
        {
            if (suffix > MaxSuffix)
            {
                throw new DkimKeyException($"every selector name from {first} to {first}-{MaxSuffix} is taken; choose one yourself with dkim keygen --selector");
            }

            name = $"{first}-{suffix}";
        }

        return name;
    }

    /// <summary>
    /// The selectors of a rotation already under way for <paramref name="domain"/>: those the
    /// policy marks pending, and rotation-named keys (<c>YYYYMMDD</c>, <c>YYYYMMDD-N</c>) in the
    /// domain's key folder below <paramref name="root"/> that the policy does not name (a rotation
    /// whose key was created but whose selector was never added). Without a policy
    /// (<paramref name="policySelectors"/> null) only the day's own key counts, since any other
    /// key may be the active one.
    /// </summary>
    public static IReadOnlyList<string> Underway(DateOnly day, DomainName domain, string keyFolder, IReadOnlyList<DkimSelector>? policySelectors, string? root)
    {
        var folder = Path.GetDirectoryName(DkimKeyStore.PathUnder(root, DkimSelectorName.DefaultKeyPath(keyFolder, domain, day.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture))))!;
        var keys = Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.private").Select(Path.GetFileNameWithoutExtension).OfType<string>().Where(n => RotationName().IsMatch(n)).ToList()
            : [];
        if (policySelectors is null)
        {
            return [.. keys.Where(n => n == NextSelector(day, _ => false))];
        }

        return [.. policySelectors.Where(s => s.State == SelectorState.Pending).Select(s => s.Name)
            .Concat(keys.Where(n => !policySelectors.Any(s => string.Equals(s.Name, n, StringComparison.OrdinalIgnoreCase))).Order(StringComparer.Ordinal))];
    }

    [GeneratedRegex("^[0-9]{8}(-[0-9]{1,2})?$")]
    private static partial Regex RotationName();
}
