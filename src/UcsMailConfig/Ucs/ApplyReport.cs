namespace UcsMailConfig.Ucs;

public enum ApplyOutcome
{
    /// <summary>Nothing to change; no program was run.</summary>
    Unchanged,

    /// <summary>Check mode: changes are pending, nothing was changed.</summary>
    Pending,

    /// <summary>The changes are live and verified.</summary>
    Applied,

    /// <summary>The change was refused before anything live was touched.</summary>
    Refused,

    /// <summary>A step failed after changes began; everything was put back.</summary>
    RolledBack,

    /// <summary>A step failed and putting things back failed too; the message says what is where.</summary>
    RollbackFailed,
}

/// <summary>
/// The result of one apply: outcome, plan, every command run, and what went wrong.
/// <see cref="Warnings"/> are findings about the host that did not stop the apply.
/// </summary>
public sealed record ApplyReport(
    ApplyOutcome Outcome,
    ApplyPlan? Plan,
    IReadOnlyList<CommandRecord> Commands,
    IReadOnlyList<string> Errors,
    IReadOnlyList<string> Notes,
    bool RecoveredInterruptedApply,
    TimeSpan Duration)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public bool Changed => Outcome == ApplyOutcome.Applied || RecoveredInterruptedApply;
}
