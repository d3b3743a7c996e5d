namespace UcsMailConfig.Dkim;

/// <summary>
/// Names the next selector of a rotation after the day it starts (<c>20261128</c>), with a
/// suffix (<c>20261128-2</c>, <c>-3</c>, ...) when that name is taken by a selector of the
/// policy or by an existing key file. Names differ from taken ones in any letter case, since
/// DNS does not tell case apart.
/// </summary>
public static class DkimRotation
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
}
