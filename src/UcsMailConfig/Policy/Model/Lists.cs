namespace UcsMailConfig.Policy.Model;

internal static class Lists
{
    /// <summary>
    /// Sorts the list unless it is in order already: policies usually list their domains
    /// sorted, and checking 10,000 names costs a fraction of sorting them. Not stable, so only
    /// for orders in which no two different items compare equal.
    /// </summary>
    public static void SortIfNeeded<T>(this List<T> items, Comparison<T> comparison)
    {
        for (var i = 1; i < items.Count; i++)
        {
            if (comparison(items[i - 1], items[i]) > 0)
            {
                items.Sort(comparison);
                return;
            }
        }
    }
}
