using System.CommandLine;
using UcsMailConfig.Diagnostics;
using UcsMailConfig.Policy;
using UcsMailConfig.Policy.Model;
using UcsMailConfig.Policy.Values;

namespace UcsMailConfig.Cli;

/// <summary>The POLICY argument shared by the commands, and loading it with every finding printed.</summary>
internal static class PolicyInput
{
    public const string StandardInput = "-";

    public static Argument<string> CreateArgument() =>
        new("POLICY") { Description = "The policy file, e.g. mail-policy.yaml; '-' reads it from standard input" };

    /// <summary>
    /// Prints every diagnostic as FILE:LINE:COL to the error writer; returns the policy and the
    /// bytes it was read from when valid. '-' reads standard input (named &lt;stdin&gt; in messages).
    /// </summary>
    public static LoadedPolicy? Load(string path, Terminal terminal, TextWriter? diagnosticsTo = null)
    {
        var errors = diagnosticsTo ?? terminal.Error;
        var name = path == StandardInput ? "<stdin>" : path;
        byte[] content;
        if (path != StandardInput && Directory.Exists(path))
        {
            errors.WriteLine(IsAFolder(path));
            return null;
        }

        try
        {
            content = path != StandardInput ? ReadFileLimited(path)
                // The process's own standard input is read as bytes, so that bytes that are not
                // UTF-8 are reported at their place instead of decoded into U+FFFD.
                : ReferenceEquals(terminal.In, Console.In) ? ReadLimited(Console.OpenStandardInput())
                : ReadLimited(terminal.In);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A folder put in place after the check above opens as "access denied", even to root.
            errors.WriteLine(Directory.Exists(path) ? IsAFolder(path) : $"{name}: error: cannot read the policy file: {e.Message}");
            return null;
        }

        var result = MailPolicyPipeline.Load(content, name);
        foreach (var diagnostic in result.Diagnostics)
        {
            errors.WriteLine(diagnostic.Format(name));
        }

        var count = result.Diagnostics.Count(d => d.Severity == Severity.Error);
        if (count > 0)
        {
            errors.WriteLine($"{name}: {count} error(s); nothing was written");
        }

        return result.Policy is null ? null : new LoadedPolicy(result.Policy, name, content)
        {
            Warnings = [.. result.Diagnostics.Where(d => d.Severity == Severity.Warning)],
        };
    }

    private static string IsAFolder(string path) =>
        $"{path}: error: is a folder, not a policy file; name the policy file in it, e.g. {Path.Combine(path, PolicyFileName.Default.Value)}";

    // Reads to the end, not to the length the file claims: a FIFO (validate <(cat p.yaml)) or a
    // /proc file has none. One byte more than is allowed is enough to tell that it is too large.
    private static byte[] ReadFileLimited(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        return ReadLimited(stream);
    }

    private static byte[] ReadLimited(Stream stream)
    {
        var buffer = new byte[stream.CanSeek ? Math.Min(stream.Length, PolicyLoader.MaxBytes) + 1 : 64 * 1024];
        var total = 0;
        int read;
        while ((read = stream.Read(buffer, total, buffer.Length - total)) > 0)
        {
            total += read;
            if (total == buffer.Length)
            {
                if (total > PolicyLoader.MaxBytes)
                {
                    break;
                }

                Array.Resize(ref buffer, (int)Math.Min(buffer.Length * 2L, PolicyLoader.MaxBytes + 1L));
            }
        }

        return buffer.AsSpan(0, total).ToArray();
    }

    private static byte[] ReadLimited(TextReader reader)
    {
        var buffer = new char[PolicyLoader.MaxBytes + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = reader.Read(buffer, total, buffer.Length - total)) > 0)
        {
            total += read;
        }

        return System.Text.Encoding.UTF8.GetBytes(buffer, 0, total);
    }
}

/// <summary>A valid policy, the name messages give it, and the exact bytes it was read from.</summary>
internal sealed record LoadedPolicy(MailPolicy Policy, string Name, byte[] Content)
{
    /// <summary>The warnings the policy drew (already printed by <see cref="PolicyInput.Load"/>).</summary>
    public IReadOnlyList<Diagnostic> Warnings { get; init; } = [];
}
