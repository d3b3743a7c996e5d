using System.Globalization;
using UcsMailConfig.Diagnostics;
using UcsMailConfig.Files;

namespace UcsMailConfig.Ucs;

/// <summary>
/// One line per apply in var/log/univention/ucs-mail-config.log below the root (UCS's own log
/// folder): when, which policy (path and SHA-256), the outcome, and how much changed.
/// Appended, never rewritten. The log is root's 0600, opened without following a symlink and
/// trusted only after the owner and mode checks of <see cref="StateFiles"/>.
/// </summary>
public static class AuditLog
{
    public const string RelativePath = "var/log/univention/ucs-mail-config.log";

    /// <summary>Refuses (<see cref="StateRefusedException"/>) a log that exists but cannot be trusted; creates nothing.</summary>
    public static void Check(string root) => StateFiles.Open(root, RelativePath, Posix.ReadOnly, create: false)?.Dispose();

    public static void Append(string root, string policyPath, string policySha256, ApplyReport report, DateTimeOffset now)
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{now.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} apply outcome={report.Outcome.ToString().ToLowerInvariant()} policy={Sanitize(policyPath)} sha256={policySha256} files={report.Plan?.Files.Length ?? 0} variables={report.Plan?.Variables.Length ?? 0} commands={report.Commands.Count} recovered={(report.RecoveredInterruptedApply ? "yes" : "no")} duration_ms={(long)report.Duration.TotalMilliseconds}\n");
        using var handle = StateFiles.Open(root, RelativePath, Posix.WriteOnly | Posix.Append, create: true)!;
        using var stream = new FileStream(handle, FileAccess.Write, bufferSize: 0);
        stream.Write(System.Text.Encoding.UTF8.GetBytes(line));
    }

    /// <summary>One logged apply: when, its outcome, and the policy (path as logged, SHA-256).</summary>
    public sealed record Entry(DateTimeOffset Time, string Outcome, string PolicyPath, string PolicySha256);

    /// <summary>Every well-formed line, oldest first (none when there is no log); refuses a log that cannot be trusted.</summary>
    public static IReadOnlyList<Entry> Read(string root)
    {
        var entries = new List<Entry>();
        foreach (var line in System.Text.Encoding.UTF8.GetString(StateFiles.Read(root, RelativePath) ?? []).Split('\n'))
        {
            var fields = line.Split(' ');
            var values = fields.Skip(2).Select(f => f.Split('=', 2)).Where(f => f.Length == 2).GroupBy(f => f[0]).ToDictionary(g => g.Key, g => g.First()[1], StringComparer.Ordinal);
            if (fields.Length > 2 && fields[1] == "apply"
                && DateTimeOffset.TryParseExact(fields[0], "yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
                && values.TryGetValue("outcome", out var outcome) && values.TryGetValue("policy", out var policy) && values.TryGetValue("sha256", out var sha256))
            {
                entries.Add(new Entry(time, outcome, policy, sha256));
            }
        }

        return entries;
    }

    // A path is the one free-form field: it must not split the record or the line.
    private static string Sanitize(string text) =>
        new(text.Select(c => char.IsControl(c) ? '?' : c == ' ' ? '_' : c).ToArray());
}
