using System.Diagnostics;

namespace UcsMailConfig.Tests.Support;

/// <summary>Result of running a real program (postconf, opendkim, ...).</summary>
public sealed record ProgramResult(int ExitCode, string StdOut, string StdErr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{StdOut}\nstderr:\n{StdErr}";
}

/// <summary>Runs installed programs with an argument list and a timeout, for tests against the real tools.</summary>
public static class ExternalProgram
{
    /// <summary>
    /// Runs <paramref name="program"/>; <paramref name="environment"/> sets variables, and a null
    /// value removes one inherited from the test process. Standard input gets
    /// <paramref name="input"/>, or nothing.
    /// </summary>
    public static ProgramResult Run(string program, IEnumerable<string> args, TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string?>? environment = null, byte[]? input = null)
    {
        var startInfo = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {program}");
        // Both streams are drained concurrently; reading one to the end first can deadlock.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            process.StandardInput.BaseStream.Write(input);
        }

        process.StandardInput.Close();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish in time");
        }

        process.WaitForExit();
        return new ProgramResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Like <see cref="Run"/>, but a non-zero exit is an exception that shows the output.</summary>
    public static ProgramResult Check(string program, IReadOnlyList<string> args,
        IReadOnlyDictionary<string, string?>? environment = null, byte[]? input = null)
    {
        var result = Run(program, args, environment: environment, input: input);
        return result.ExitCode == 0
            ? result
            : throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed: {result}");
    }

    /// <summary>The absolute path of a program from PATH or the sbin folders (postconf lives in /usr/sbin).</summary>
    public static string Find(string name)
    {
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/sbin", "/usr/bin"]);
        return folders.Select(f => Path.Combine(f, name)).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException($"{name} is not installed; .ci/test-all installs it (postfix, opendkim, opendkim-tools, php-cli)");
    }
}
