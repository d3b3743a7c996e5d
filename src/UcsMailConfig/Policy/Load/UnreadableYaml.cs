using UcsMailConfig.Diagnostics;

namespace UcsMailConfig.Policy.Load;

/// <summary>Ends the reading of a policy: what follows cannot be read reliably once the structure is lost, or is refused outright.</summary>
internal sealed class UnreadableYaml(DiagnosticCode code, SourcePosition at, string message) : Exception(message)
{
    public DiagnosticCode Code { get; } = code;

    public SourcePosition At { get; } = at;

    public static UnreadableYaml Syntax(SourcePosition at, string message) => new(DiagnosticCode.YamlSyntax, at, message);

    public static UnreadableYaml Unsupported(SourcePosition at, string message) => new(DiagnosticCode.UnsupportedYamlFeature, at, message);
}

/// <summary>What a node being read sits in: the rules word their messages by it.</summary>
internal enum YamlParentKind
{
    Document,
    Mapping,
    Sequence,
}

/// <summary>The collection a node is in, and the innermost [ ] or { } around it (null in block context).</summary>
internal readonly record struct YamlParent(YamlParentKind Kind, YamlFlowCollection? Flow);

/// <summary>An open [ ] or { }: where it starts, for "never closed" and "expected ','" messages.</summary>
internal sealed record YamlFlowCollection(SourcePosition Start, bool IsSequence);
