using System.CommandLine;
using System.Text;
using System.Text.RegularExpressions;

namespace UcsMailConfig.Cli;

/// <summary>
/// Writes a static bash completion script for ucs-mail-config from the command definitions:
/// commands and subcommands, each command's options, and option values: the fixed choices
/// (--format), folders for a DIR, files for a FILE, PROGRAM or POLICY (<see cref="ValueNames"/>);
/// files for a command's POLICY argument. Static, so a TAB never starts the .NET program. It uses
/// bash-completion's helpers (_init_completion, _filedir), as Debian's completions do.
/// packaging/build-deb.sh installs it as /usr/share/bash-completion/completions/ucs-mail-config.
/// </summary>
internal static partial class BashCompletion
{
    public static void Write(RootCommand root, TextWriter output)
    {
        var commands = new List<(Command Command, string Path)> { (root, "") };
        commands.AddRange(CommandTree.Walk(root));
        var script = new StringBuilder();
        script.Append($$"""
            # bash completion for {{CommandTree.Tool}}(1); generated from its command definitions
            # ({{CommandTree.Tool}} packaging bash-completion): do not edit.

            _ucs_mail_config_subcommands()
            {
                case $1 in

            """);
        foreach (var (command, path) in commands)
        {
            Case(script, path, string.Join(' ', CommandTree.Subcommands(command).Select(c => c.Name)));
        }

        script.Append("""
                esac
            }

            _ucs_mail_config_options()
            {
                case $1 in

            """);
        foreach (var (command, path) in commands)
        {
            var options = CommandTree.Options(command).SelectMany(CommandTree.Names).Append("--help").Append("-h");
            Case(script, path, string.Join(' ', command is RootCommand ? options.Append("--version") : options));
        }

        script.Append("""
                esac
            }

            # The options that take a value.
            _ucs_mail_config_valued()
            {
                case $1 in

            """);
        foreach (var (command, path) in commands)
        {
            Case(script, path, string.Join(' ', CommandTree.Options(command).Where(o => CommandTree.ValueName(o) is not null).SelectMany(CommandTree.Names)));
        }

        script.Append("""
                esac
            }

            _ucs_mail_config_value()
            {
                case "$1 $2" in

            """);
        foreach (var (command, path) in commands)
        {
            foreach (var option in CommandTree.Options(command))
            {
                if (Completion(option) is { } completion)
                {
                    script.Append($"        {string.Join('|', CommandTree.Names(option).Select(n => Safe($"\"{path} {n}\"")))}) {completion} ;;\n");
                }
            }
        }

        script.Append("""
                esac
            }

            _ucs_mail_config_arguments()
            {
                case $1 in

            """);
        foreach (var (command, path) in commands.Where(c => CommandTree.Arguments(c.Command).Any(a => ValueNames.IsFile(CommandTree.ValueName(a)))))
        {
            script.Append($"        {Safe($"\"{path}\"")}) _filedir ;;\n");
        }

        script.Append("""
                esac
            }

            _ucs_mail_config()
            {
                local cur prev words cword split
                _init_completion -s || return

                # The command so far: the words that name a subcommand, skipping the options' values.
                local path="" i word
                for ((i = 1; i < cword; i++)); do
                    word=${words[i]}
                    if [[ $word == -* ]]; then
                        [[ $word != *=* && " $(_ucs_mail_config_valued "$path") " == *" $word "* ]] && ((i++))
                    elif [[ " $(_ucs_mail_config_subcommands "$path") " == *" $word "* ]]; then
                        path=${path:+$path }$word
                    fi
                done

                if [[ $prev == -* && " $(_ucs_mail_config_valued "$path") " == *" $prev "* ]]; then
                    _ucs_mail_config_value "$path" "$prev"
                    return
                fi
                $split && return

                if [[ $cur == -* ]]; then
                    COMPREPLY=($(compgen -W "$(_ucs_mail_config_options "$path")" -- "$cur"))
                    return
                fi
                COMPREPLY=($(compgen -W "$(_ucs_mail_config_subcommands "$path")" -- "$cur"))
                _ucs_mail_config_arguments "$path"
            } &&
                complete -F _ucs_mail_config ucs-mail-config

            """);
        output.Write(script.ToString().ReplaceLineEndings("\n"));
    }

    private static string? Completion(Option option) => CommandTree.ValueName(option) switch
    {
        null => null,
        _ when CommandTree.Choices(option) is { Length: > 0 } choices => $"COMPREPLY=($(compgen -W \"{Safe(string.Join(' ', choices))}\" -- \"$cur\"))",
        var name when ValueNames.IsFolder(name) => "_filedir -d",
        var name when ValueNames.IsFile(name) => "_filedir",
        _ => null,
    };

    private static void Case(StringBuilder script, string path, string words)
    {
        if (words.Length > 0)
        {
            script.Append($"        {Safe($"\"{path}\"")}) echo {Safe($"\"{words}\"")} ;;\n");
        }
    }

    // Names and choices go into the script as they are: only characters that mean nothing to bash inside double quotes.
    private static string Safe(string text) =>
        SafeText().IsMatch(text) ? text : throw new InvalidOperationException($"'{text}' cannot go into the completion script as it is");

    [GeneratedRegex("^[A-Za-z0-9 ._|\"-]*$")]
    private static partial Regex SafeText();
}
