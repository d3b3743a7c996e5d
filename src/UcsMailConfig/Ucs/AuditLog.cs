using System.Globalization;

namespace UcsMailConfig.Ucs;

/// <summary>
/// One line per apply in var/log/univention/ucs-mail-config.log below the root: when, which
/// policy (path and SHA-256), the outcome, and how much changed. Appended, never rewritten.
/// </summary>
public static class AuditLog
{
    public const string RelativePath = "var/log/univention/ucs-mail-config.log";

    public static void Append(string root, string policyPath, string policySha256, ApplyReport report, DateTimeOffset now)
    {
        var path = Path.Combine(root, RelativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{now.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} apply outcome={report.Outcome.ToString().ToLowerInvariant()} policy={Sanitize(policyPath)} sha256={policySha256} files={report.Plan?.Files.Length ?? 0} variables={report.Plan?.Variables.Length ?? 0} commands={report.Commands.Count} recovered={(report.RecoveredInterruptedApply ? "yes" : "no")} duration_ms={(long)report.Duration.TotalMilliseconds}\n");
        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead,
        });
        stream.Write(System.Text.Encoding.UTF8.GetBytes(line));
    }

    // A path is the one free-form field: it must not split the record or the line.
    private static string Sanitize(string text) =>
        new(text.Select(c => char.IsControl(c) ? '?' : c == ' ' ? '_' : c).ToArray());
}
