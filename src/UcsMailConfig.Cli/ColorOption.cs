using System.CommandLine;

namespace UcsMailConfig.Cli;

/// <summary>
/// <c>--color=auto|always|never</c> of diff and apply. auto (the default) colours only when
/// standard output is a terminal and NO_COLOR is unset or empty (no-color.org); always and never
/// are the admin's explicit choice and win over NO_COLOR, as no-color.org asks of command-line flags.
/// </summary>
internal static class ColorOption
{
    public static Option<string> Create()
    {
        var option = new Option<string>("--color")
        {
            Description = "Colour added and removed lines: auto (on a terminal, unless NO_COLOR is set), always, never",
            DefaultValueFactory = _ => "auto",
        };
        option.AcceptOnlyFromAmong("auto", "always", "never");
        return option;
    }

    public static bool Enabled(string choice, Terminal terminal) => choice switch
    {
        "always" => true,
        "never" => false,
        _ => terminal.OutIsTerminal && !terminal.NoColor,
    };
}
