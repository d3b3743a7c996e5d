using System.Text;
using UcsMailConfig.Diagnostics;
using UcsMailConfig.Policy.Load;
using UcsMailConfig.Policy.Model;
using UcsMailConfig.Policy.Validate;

namespace UcsMailConfig.Policy;

/// <summary>The outcome of loading a policy: the policy when it is valid, and every finding.</summary>
public sealed record PolicyLoadResult(MailPolicy? Policy, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool IsValid => Policy is not null;
}

/// <summary>
/// Load and validate: policy text → YAML tree → shape check → typed model. The single public
/// entry of the Policy folder. Every finding of one run is returned together; the policy is
/// returned only when there is no error.
/// </summary>
public static class PolicyLoader
{
    /// <summary>Larger than any sensible policy (10,000 domains take about 2 MiB) and small enough to refuse a stray log file.</summary>
    public const int MaxBytes = 32 * 1024 * 1024;

    /// <summary>About 500 domains.</summary>
    private const int ConcurrentCheckFromChars = 64 * 1024;

    public static PolicyLoadResult LoadFile(string path)
    {
        return new FileInfo(path).Length > MaxBytes ? TooLarge() : Load(File.ReadAllBytes(path));
    }

    public static PolicyLoadResult TooLarge() => new(null,
        [new Diagnostic(Severity.Error, DiagnosticCode.FileTooLarge, new SourcePosition(1, 1), $"the policy is larger than {MaxBytes / (1024 * 1024)} MiB; no policy is that large (is this the right file?)")]);

    public static PolicyLoadResult Load(byte[] content)
    {
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(content);
        }
        catch (DecoderFallbackException)
        {
            return new PolicyLoadResult(null,
                [new Diagnostic(Severity.Error, DiagnosticCode.YamlSyntax, InvalidUtf8At(content),
                    "the policy file is not valid UTF-8 here; save it as UTF-8 text")]);
        }

        return Load(text.TrimStart('\uFEFF'));
    }

    // Line and column (in characters) of the first byte that is not UTF-8; only an error pays for it.
    private static SourcePosition InvalidUtf8At(byte[] content)
    {
        System.Text.Unicode.Utf8.ToUtf16(content, new char[content.Length], out var valid, out _, replaceInvalidSequences: false);
        var before = content.AsSpan(0, valid);
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        var column = 1;
        foreach (var b in before[lineStart..])
        {
            column += (b & 0xC0) == 0x80 ? 0 : 1;
        }

        return new SourcePosition(before.Count((byte)'\n') + 1, column);
    }

    public static PolicyLoadResult Load(string text)
    {
        var diagnostics = new DiagnosticBag();
        var tree = YamlTreeBuilder.Read(text, diagnostics);
        MailPolicy? policy = null;
        if (tree is not null)
        {
            // The shape check and the binder only read the finished tree, each into its own
            // findings; a large policy has one run beside the other. A small one does not: the
            // thread pool's start would cost more than either.
            var shapeFindings = new DiagnosticBag();
            void CheckShape() => new ShapeChecker(shapeFindings).Check(tree, PolicySchema.Root, "");
            var shapeCheck = text.Length >= ConcurrentCheckFromChars ? Task.Run(CheckShape) : null;
            if (shapeCheck is null)
            {
                CheckShape();
            }

            var bindFindings = new DiagnosticBag();
            if (tree is YamlMapping root)
            {
                policy = new PolicyBinder(bindFindings).Bind(root);
            }

            shapeCheck?.GetAwaiter().GetResult();
            diagnostics.AddRange(shapeFindings);
            diagnostics.AddRange(bindFindings);
        }

        return new PolicyLoadResult(diagnostics.HasErrors ? null : policy, diagnostics.ToSortedList());
    }
}
