using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Cli;

/// <summary>Where a policy may come from besides a plain file: a FIFO, /proc/self/fd, a folder by mistake.</summary>
public sealed class PolicyInputTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Example => Path.Combine(RepoPaths.Examples, "single-domain", "mail-policy.yaml");

    [Fact]
    public async Task A_policy_from_a_fifo_is_read_to_the_end()
    {
        var fifo = _temp.Combine("policy.fifo");
        Assert.Equal(0, ExternalProgram.Run("mkfifo", [fifo]).ExitCode);
        // The writer opens the FIFO once the reader has; the copy ends when validate read all.
        var writer = Task.Run(() => File.WriteAllBytes(fifo, File.ReadAllBytes(Example)));

        var result = CliRun.Run("validate", fifo);

        await writer.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(result.Exit == 0, result.ToString());
        Assert.Equal($"{fifo}: valid (1 domain(s), DKIM on)\n", result.Stdout);
    }

    [Fact]
    public void Process_substitution_works_with_the_real_process()
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "ucs-mail-config.dll");
        var result = ExternalProgram.Run("bash", ["-c", "exec dotnet \"$1\" validate <(cat \"$2\")", "bash", cli, Example]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"^/dev/fd/\d+: valid \(1 domain\(s\), DKIM on\)\n$", result.StdOut);
        Assert.Equal("", result.StdErr);
    }

    [Fact]
    public void Standard_input_that_is_not_utf8_is_reported_at_the_byte_with_the_real_process()
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "ucs-mail-config.dll");
        var result = ExternalProgram.Run("dotnet", [cli, "validate", "-"], input: [.. "version: 1\n# "u8, 0xFF, (byte)'\n']);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("<stdin>:2:3: error UMC001: the policy file is not valid UTF-8 here", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_is_one_line_naming_what_to_give_instead()
    {
        var result = CliRun.Run("validate", _temp.Path);

        Assert.Equal(1, result.Exit);
        Assert.Equal($"{_temp.Path}: error: is a folder, not a policy file; name the policy file in it, e.g. {_temp.Combine("mail-policy.yaml")}\n", result.Stderr);
    }

    [Fact]
    public void An_endless_device_stops_at_the_size_limit()
    {
        var result = CliRun.Run("validate", "/dev/zero");

        Assert.Equal(1, result.Exit);
        Assert.StartsWith("/dev/zero:1:1: error UMC012: the policy is larger than 32 MiB", result.Stderr, StringComparison.Ordinal);
    }
}
