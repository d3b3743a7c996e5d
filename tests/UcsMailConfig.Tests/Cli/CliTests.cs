using UcsMailConfig.Policy.Validate;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Cli;

/// <summary>The command line as an admin or a script uses it: output, exit codes, and what it writes.</summary>
public sealed class CliTests
{
    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var (exit, stdout, stderr) = CliRun.Run(args);
        return (exit, stdout, stderr);
    }

    private static string Example(string name) => Path.Combine(RepoPaths.Examples, name, "mail-policy.yaml");

    [Fact]
    public void Validate_accepts_a_valid_policy_with_exit_0()
    {
        var (exit, output, errors) = Run("validate", Example("single-domain"));

        Assert.Equal(0, exit);
        Assert.Contains("valid (1 domain(s), DKIM on)", output, StringComparison.Ordinal);
        Assert.Equal("", errors);
    }

    [Fact]
    public void Validate_reports_every_error_at_once_with_file_line_col_and_exit_1()
    {
        using var temp = new TempDirectory();
        var policy = temp.Combine("mail-policy.yaml");
        File.WriteAllText(policy, "version: 1\npostfix:\n  queue:\n    maximal_lifetime: 2x\n    bounce_lifetim: 1h\n");

        var (exit, _, errors) = Run("validate", policy);

        Assert.Equal(1, exit);
        Assert.Contains($"{policy}:4:23: error UMC020: ", errors, StringComparison.Ordinal);
        Assert.Contains($"{policy}:5:5: error UMC003: ", errors, StringComparison.Ordinal);
        Assert.Contains("did you mean 'bounce_lifetime'?", errors, StringComparison.Ordinal);
        Assert.Contains("2 error(s); nothing was written", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_policy_file_is_invalid_input()
    {
        var (exit, _, errors) = Run("validate", "/nonexistent/mail-policy.yaml");

        Assert.Equal(1, exit);
        Assert.Contains("cannot read the policy file", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_writes_the_tree_and_lists_the_files()
    {
        using var temp = new TempDirectory();
        var output = temp.Combine("out");

        var (exit, listing, _) = Run("render", Example("single-domain"), "--out", output);

        Assert.Equal(0, exit);
        var fragment = Path.Combine(output, "etc/univention/templates/files/etc/postfix/main.cf.d/90_ucs-mail-config");
        Assert.Contains("smtpd_milters = inet:localhost:12345", File.ReadAllText(fragment), StringComparison.Ordinal);
        Assert.Contains(fragment, listing, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(fragment));
        Assert.Equal([output], Directory.GetFileSystemEntries(temp.Path));
    }

    [Fact]
    public void Render_refuses_a_non_empty_folder_without_force()
    {
        using var temp = new TempDirectory();
        var output = temp.Combine("out");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "precious"), "keep me");

        var refused = Run("render", Example("queue-only"), "--out", output);

        Assert.Equal(1, refused.Exit);
        Assert.Contains("--force", refused.Err, StringComparison.Ordinal);
        Assert.Equal(["precious"], Directory.GetFileSystemEntries(output).Select(Path.GetFileName));
    }

    [Fact]
    public void Render_of_an_invalid_policy_writes_nothing()
    {
        using var temp = new TempDirectory();
        var policy = temp.Combine("mail-policy.yaml");
        File.WriteAllText(policy, "version: 2\n");
        var output = temp.Combine("out");

        var (exit, _, errors) = Run("render", policy, "--out", output);

        Assert.Equal(1, exit);
        Assert.Contains($"{policy}:1:10: error UMC007: ", errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Schema_prints_the_generated_json_schema()
    {
        var (exit, output, _) = Run("schema");

        Assert.Equal(0, exit);
        Assert.Equal(JsonSchemaWriter.Write(), output);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("validate", "--help")]
    [InlineData("render", "--help")]
    [InlineData("schema", "--help")]
    public void Help_is_available_everywhere(params string[] args)
    {
        var (exit, output, _) = Run(args);

        Assert.Equal(0, exit);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_prints_the_version()
    {
        // The real process: in-process, the entry assembly is the test host.
        var version = ExternalProgram.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "ucs-mail-config.dll"), "--version"]);

        Assert.Equal(0, version.ExitCode);
        Assert.StartsWith("0.1.0", version.StdOut.Trim(), StringComparison.Ordinal);
    }
}
