namespace UcsMailConfig.Cli;

/// <summary>
/// The three standard streams a command uses; tests pass their own. <see cref="OutIsTerminal"/>
/// and <see cref="NoColor"/> decide whether <c>--color=auto</c> colours (<see cref="ColorOption"/>).
/// </summary>
public sealed record Terminal(TextReader In, TextWriter Out, TextWriter Error)
{
    /// <summary>Standard output is a terminal (not a pipe or a file).</summary>
    public bool OutIsTerminal { get; init; }

    /// <summary>NO_COLOR is set to a non-empty value (no-color.org): no colour unless <c>--color=always</c>.</summary>
    public bool NoColor { get; init; }
}
