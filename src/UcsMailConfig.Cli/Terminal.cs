namespace UcsMailConfig.Cli;

/// <summary>The three standard streams a command uses; tests pass their own.</summary>
public sealed record Terminal(TextReader In, TextWriter Out, TextWriter Error);
