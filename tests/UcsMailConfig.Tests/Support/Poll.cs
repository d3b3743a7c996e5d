namespace UcsMailConfig.Tests.Support;

/// <summary>
/// Bounded waiting for something another process does (a daemon listens, a log line
/// appears). Every wait has a deadline and ends in a <see cref="TimeoutException"/> that says
/// what did not happen; nothing here asserts how long anything took.
/// </summary>
public static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    public static T Until<T>(Func<T?> probe, TimeSpan limit, Func<string> whatDidNotHappen)
        where T : class
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            if (probe() is { } found)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waited {limit.TotalSeconds:0} s in vain: {whatDidNotHappen()}");
            }

            Thread.Sleep(Interval);
        }
    }

    public static void Until(Func<bool> condition, TimeSpan limit, Func<string> whatDidNotHappen) =>
        Until(() => condition() ? "" : null, limit, whatDidNotHappen);
}
