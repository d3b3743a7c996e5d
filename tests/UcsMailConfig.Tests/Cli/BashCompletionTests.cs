using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Cli;

/// <summary>
/// The completion script the .deb installs, driven in a real bash with bash-completion's
/// framework loaded, as an interactive shell would: COMP_WORDS, COMP_CWORD, COMP_LINE and
/// COMP_POINT set, the function called, COMPREPLY read back.
/// </summary>
public sealed class BashCompletionTests : IDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly string _script;
    private readonly string _work;

    public BashCompletionTests()
    {
        var generated = CliRun.Run("packaging", "bash-completion");
        Assert.True(generated.Exit == 0, generated.ToString());
        _script = _folder.Combine("ucs-mail-config.bash");
        File.WriteAllText(_script, generated.Stdout);
        _work = _folder.Combine("work");
        Directory.CreateDirectory(Path.Combine(_work, "policies"));
        File.WriteAllText(Path.Combine(_work, "mail-policy.yaml"), "version: 1\n");
        File.WriteAllText(Path.Combine(_work, "notes.txt"), "");
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Completes_the_commands() =>
        Assert.Equal(["apply", "diff", "dkim", "dns", "render", "schema", "status", "validate"], Complete("ucs-mail-config "));

    [Fact]
    public void Completes_a_commands_subcommands() =>
        Assert.Equal(["keygen", "rotate"], Complete("ucs-mail-config dkim "));

    [Fact]
    public void Completes_an_option_of_the_command_typed_so_far()
    {
        Assert.Equal(["--format"], Complete("ucs-mail-config dns --fo"));
        Assert.Equal(["--selector"], Complete("ucs-mail-config dkim keygen --domain example.com --sel"));
        Assert.Equal(["--dns-server", "--dns-timeout", "--dns-total"], Complete("ucs-mail-config status --dns-"));
    }

    [Fact]
    public void Completes_an_options_values()
    {
        Assert.Equal(["json", "plain", "zone"], Complete("ucs-mail-config dns --format "));
        Assert.Equal(["plain"], Complete("ucs-mail-config dns --format=p"));
    }

    [Fact]
    public void Completes_a_policy_argument_with_files_and_a_folder_option_with_folders()
    {
        Assert.Equal(["mail-policy.yaml", "notes.txt", "policies"], Complete("ucs-mail-config validate "));
        Assert.Equal(["check", "mail-policy.yaml", "notes.txt", "policies"], Complete("ucs-mail-config dns "));
        Assert.Equal(["policies"], Complete("ucs-mail-config apply mail-policy.yaml --root "));
    }

    [Fact]
    public void An_options_value_is_not_taken_for_a_command() =>
        Assert.Equal(["--dns-server", "--help", "--root", "--server", "-h"], Complete("ucs-mail-config dns check mail-policy.yaml --root dns -"));

    private string[] Complete(string line)
    {
        var words = line.Split(' ');
        var program = $"""
            source /usr/share/bash-completion/bash_completion
            source '{_script}'
            COMP_WORDS=({string.Join(' ', words.Select(w => $"'{w}'"))})
            COMP_CWORD={words.Length - 1}
            COMP_LINE='{line}'
            COMP_POINT={line.Length}
            _ucs_mail_config
            printf '%s\n' "${"{"}COMPREPLY[@]{"}"}"
            """;
        var bash = ExternalProgram.Run("bash", ["-c", $"cd '{_work}' && {program}"]);
        Assert.True(bash.ExitCode == 0 && bash.StdErr.Length == 0, bash.ToString());
        return [.. bash.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];
    }
}
