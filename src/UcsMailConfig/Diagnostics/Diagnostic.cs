namespace UcsMailConfig.Diagnostics;

/// <summary>Whether a diagnostic stops the policy from being used.</summary>
public enum Severity
{
    Warning,
    Error,
}

/// <summary>
/// One finding about a policy file, printed as <c>FILE:LINE:COL: error CODE: message</c>.
/// The message says what is wrong and what would be valid.
/// </summary>
public sealed record Diagnostic(Severity Severity, DiagnosticCode Code, SourcePosition Position, string Message)
{
    public string Format(string file) =>
        $"{file}:{Position}: {(Severity == Severity.Error ? "error" : "warning")} {Code.Id}: {Message}";

    /// <summary><c>FILE:LINE:COL: CODE: message</c>, for a channel that already says how severe it is.</summary>
    public string FormatWithoutSeverity(string file) => $"{file}:{Position}: {Code.Id}: {Message}";
}
