namespace UcsMailConfig.Tests.Support;

/// <summary>
/// Whether a golden test should rewrite what it compares against (UCSMAIL_ACCEPT=1). Under CI
/// (CI set to anything but empty or "false") the request is an error: a run that rewrites its
/// goldens compares nothing, so it must not pass.
/// </summary>
public static class GoldenAccept
{
    public const string Variable = "UCSMAIL_ACCEPT";

    public static bool IsRequested() => IsRequested(Environment.GetEnvironmentVariable);

    public static bool IsRequested(Func<string, string?> environment)
    {
        if (environment(Variable) != "1")
        {
            return false;
        }

        if (environment("CI") is { Length: > 0 } ci && !ci.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{Variable}=1 is set under CI (CI={ci}): the golden tests would rewrite their goldens instead of comparing them; unset it");
        }

        return true;
    }
}
