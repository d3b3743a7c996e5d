namespace UcsMailConfig.Ucs;

/// <summary>How an apply runs: where, with which programs, and how patiently.</summary>
public sealed record ApplyOptions(string Root, ToolPaths Tools, bool CheckOnly, TimeSpan LockWait, TimeSpan CommandTimeout)
{
    /// <summary>
    /// Test hook: the apply kills its own process after this many file writes, to prove that
    /// the next run recovers from the journal. Read from UCSMAIL_TEST_CRASH_AFTER_WRITES.
    /// </summary>
    public int? CrashAfterWrites { get; init; }
}
