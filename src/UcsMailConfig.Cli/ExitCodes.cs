namespace UcsMailConfig.Cli;

/// <summary>The exit codes of every command (DESIGN.md, "Exit codes").</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int InvalidInput = 1;
    public const int ChangesPending = 2;
    public const int RolledBack = 3;
    public const int RollbackFailed = 4;
    public const int Refused = 5;
}
