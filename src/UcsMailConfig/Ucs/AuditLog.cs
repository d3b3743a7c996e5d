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

    // A path is the one free-form field: it must not split the record or the line.
    private static string Sanitize(string text) =>
        new(text.Select(c => char.IsControl(c) ? '?' : c == ' ' ? '_' : c).ToArray());
}
