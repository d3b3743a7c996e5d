using System.Diagnostics;
using CliWrap;
using CliWrap.Buffered;

namespace UcsMailConfig.Ucs;

/// <summary>
/// Runs external programs through CliWrap: an argument list (never a shell string), a
/// timeout, captured output, and our own exit-code handling. Keeps a record of every run so
/// that a report can list each command with its exit code and duration.
/// </summary>
internal sealed class CommandRunner(TimeSpan timeout)
{
    private readonly List<CommandRecord> _records = [];

    public IReadOnlyList<CommandRecord> Records => _records;

    /// <summary>Runs the program; a program that cannot start or times out counts as exit code 127 or 124.</summary>
    public CommandRecord Run(string program, params string[] arguments)
    {
        var clock = Stopwatch.StartNew();
        CommandRecord record;
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            var result = Cli.Wrap(program)
                .WithArguments(arguments)
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(cancel.Token)
                .GetAwaiter().GetResult();
            record = new CommandRecord(program, arguments, result.ExitCode, result.StandardOutput, result.StandardError, clock.Elapsed);
        }
        catch (OperationCanceledException)
        {
            record = new CommandRecord(program, arguments, 124, "", $"timed out after {timeout.TotalSeconds:0} s", clock.Elapsed);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            record = new CommandRecord(program, arguments, 127, "", $"cannot run: {e.Message}", clock.Elapsed);
        }

        _records.Add(record);
        return record;
    }
}
