using CsCheck;
using Xunit.Abstractions;
using UcsMailConfig.Diagnostics;
using UcsMailConfig.Policy.Load;
using UcsMailConfig.Tests.Support;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace UcsMailConfig.Tests.Properties;

/// <summary>
/// The policy is read by YamlDotNet's event parser with our subset rules on top. Every text is
/// one of two things, and each case asserts which: accepted, and then the tree is exactly
/// YamlDotNet's representation model of the text (values, plain-or-quoted style, positions,
/// order); or refused, and then for a named rule at a position inside the text — and a text the
/// library reads is refused only for one of our rules, never as a syntax error of our making.
/// </summary>
public sealed class YamlSubsetRulesTests(ITestOutputHelper output)
{
    private static readonly string[] YamlCodes = ["UMC001", "UMC002", "UMC004", "UMC008", "UMC009", "UMC010"];

    /// <summary>The start of every message a refusal may carry: our subset rules, then the syntax errors the library finds.</summary>
    private static readonly string[] SubsetRules =
    [
        "anchor '", "alias '", "tag '", "block scalars", "a quoted value continues", "this line is indented more", "expected ',' or",
        "complex keys", "duplicate key", "a key is missing", "a key must be", "the policy nests deeper", "directives such as",
        "the policy file holds more than one", "the policy file is empty", "the policy file holds a NUL",
    ];

    private static readonly string[] SyntaxErrors =
    [
        "this quote is never closed", "unknown escape", "the escape needs", "a tab in the indentation", "a list cannot start",
        "a value may not contain", "'[' is never closed", "'{' is never closed", "a key may be at most", "put a space before '#'", "unexpected text",
        "a list item '-'", "a value cannot start", "a value is missing", "expected 'key: value'", "a quoted value is not valid",
        "the policy ends unexpectedly",
    ];

    /// <summary>Valid YAML written the ways admins write it, corners of the syntax, and what the subset refuses.</summary>
    public static TheoryData<string> Corners => new()
    {
        "a: b\n", "a: 'it''s'\n", "a: \"\\u00e9\\x41\\t\\\\ \\\" \\/\"\n", "- a\n- b\n", "a:\n- b\n- c\nd: e\n",
        "a: [b, c,]\n", "a: {b: c, d}\n", "a: {\"b\":c}\n", "a: b # c\n", "a: b#c\n", "a:   \n", "a: ~\nb: null\nc:\n",
        "'a': b\n", "a: !!str 1\n", "a: -1\n", "- - a\n  - b\n- c\n", "- a: 1\n  b: 2\n- c\n", "a:\n  - b: 1\n    c: 2\n  - d\n",
        "a: x:y\n", "a: http://x/y?z=1#f\n", "key with spaces: v w\n", "a: [\n  b,\n  c\n]\n", "a: {\n b: c\n}\n",
        "a: \"\"\nb: ''\n", "---\na: 1\n...\n", "a: 1\r\nb: 2\r\n", "  a: 1\n  b: 2\n", "a:\n\n  b: 1\n", "a: [a, [b, {c: d}]]\n",
        "a: b\t# tab comment\n", "a:\tb\n", "a: 'x' # c\n", "-\n- a\n", "a: -x\n", "a: ?x\n", "a: [?x, -y, :z]\n", "a : b\n",
        "# only a comment\na: 1 # and another\n# last\n", "a: {}\nb: []\n", "\"20261128\": {state: pending}\n", "a: 0o14\nb: 1_000\n",
        "a: yes\nb: No\nc: 1e3\n", "a: 'multi\n  line'\n", "a: plain\n  continued\n", "a: |\n  block\n", "? a\n: b\n", "a: &x b\n",
        "a: [b, c: d]\n", "a: ['::1', ::1]\n", "- ::1\n", "a: {b:{c: d}}\n", "%YAML 1.2\n---\na: 1\n", "a: *x\n", "a: !!int 1\n",
        "a: 1\na: 2\n", ": b\n", "[a]: b\n", "a: 1\n---\nb: 2\n", "", "a: \"x\0y\"\n", "a: !!str [b]\n", "a: >\n  folded\n",
    };

    [Theory]
    [MemberData(nameof(Corners))]
    public void Corners_are_accepted_as_the_library_reads_them_or_refused_for_a_named_rule(string text) => AssertAcceptedOrRefused(text);

    [Fact]
    public void Generated_and_mutated_policies_are_accepted_as_the_library_reads_them_or_refused_for_a_named_rule()
    {
        var examples = Directory.GetFiles(RepoPaths.Examples, "mail-policy.yaml", SearchOption.AllDirectories).Select(File.ReadAllText).ToArray();
        var gen = Gen.Frequency((2, PolicyGenerators.Valid), (2, PolicyGenerators.Hostile), (3, PolicyGenerators.Mutated(examples)));
        var accepted = 0;
        var refused = 0;
        var iterations = Environment.GetEnvironmentVariable("CsCheck_Iter") is null ? 5000 : Check.Iter;
        gen.Sample(input =>
        {
            if (AssertAcceptedOrRefused(input.Yaml))
            {
                Interlocked.Increment(ref accepted);
            }
            else
            {
                Interlocked.Increment(ref refused);
            }
        }, iter: iterations, print: input => input.ToString());
        output.WriteLine($"{accepted} of {iterations} accepted and equal to the library's reading, {refused} refused for a named rule");
        Assert.True(accepted > iterations / 5 && refused > iterations / 20, $"{accepted} accepted, {refused} refused: too few of one kind to mean much");
    }

    /// <summary>True when the text was accepted (and equals the library's reading); false when refused for a named rule inside the text.</summary>
    private static bool AssertAcceptedOrRefused(string text)
    {
        var diagnostics = new DiagnosticBag();
        var ours = YamlTreeBuilder.Read(text, diagnostics);
        var errors = diagnostics.ToSortedList().Where(d => YamlCodes.Contains(d.Code.Id)).ToList();
        var reference = ReadWithYamlDotNet(text, out var referenceError);
        if (ours is not null && errors.Count == 0)
        {
            Assert.True(reference is not null, $"accepted text the library refuses ({referenceError}):\n{PolicyInput.Literal(text)}");
            AssertSame(reference, ours, text);
            return true;
        }

        Assert.True(errors.Count > 0, $"no tree and no YAML error:\n{PolicyInput.Literal(text)}");
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split(['\n', '\r', '\u0085', '\u2028', '\u2029']); // the library's line breaks
        foreach (var error in errors)
        {
            var where = $"{error.Format("policy")}\n{PolicyInput.Literal(text)}";
            Assert.True(SubsetRules.Concat(SyntaxErrors).Any(r => error.Message.StartsWith(r, StringComparison.Ordinal)), $"refused for no named rule: {where}");
            Assert.True(error.Position.Line >= 1 && error.Position.Column >= 1, $"position before the text: {where}");
            Assert.True(text.Length == 0 || error.Position.Line <= lines.Length && error.Position.Column <= lines[error.Position.Line - 1].Length + 1,
                $"position outside the text: {where}");
            if (reference is not null && referenceError is null)
            {
                // The library reads the text: only our subset refuses it.
                Assert.True(SubsetRules.Any(r => error.Message.StartsWith(r, StringComparison.Ordinal)),
                    $"the library reads this text, yet it was refused as a syntax error: {where}");
            }
        }

        return false;
    }

    private static void AssertSame(YamlDotNet.RepresentationModel.YamlNode expected, UcsMailConfig.Policy.Load.YamlNode actual, string text)
    {
        var where = $"at {actual.Start} in\n{PolicyInput.Literal(text)}";
        Assert.True(At(expected.Start) == actual.Start, $"position {actual.Start}, YamlDotNet {At(expected.Start)} {where}");
        switch (expected)
        {
            case YamlScalarNode e:
                var a = Assert.IsType<YamlScalar>(actual);
                var plain = e.Style == YamlDotNet.Core.ScalarStyle.Plain && (e.Tag.IsEmpty || e.Tag.Value != "tag:yaml.org,2002:str");
                Assert.True(e.Value == a.Value, $"value {PolicyInput.Literal(a.Value)}, YamlDotNet reads {PolicyInput.Literal(e.Value ?? "")} {where}");
                Assert.True(plain == a.IsPlain, $"plain {a.IsPlain}, YamlDotNet {plain} {where}");
                break;
            case YamlSequenceNode e:
                var s = Assert.IsType<YamlSequence>(actual);
                Assert.True(e.Children.Count == s.Items.Count, $"{s.Items.Count} items, YamlDotNet {e.Children.Count} {where}");
                for (var i = 0; i < e.Children.Count; i++)
                {
                    AssertSame(e.Children[i], s.Items[i], text);
                }

                break;
            case YamlMappingNode e:
                var m = Assert.IsType<YamlMapping>(actual);
                var children = e.Children.ToList();
                Assert.True(children.Count == m.Entries.Count, $"{m.Entries.Count} entries, YamlDotNet {children.Count} {where}");
                for (var i = 0; i < children.Count; i++)
                {
                    AssertSame(children[i].Key, m.Entries[i].Key, text);
                    AssertSame(children[i].Value, m.Entries[i].Value, text);
                }

                break;
            default:
                Assert.Fail($"YamlDotNet reads {expected.NodeType} {where}");
                break;
        }
    }

    /// <summary>YamlDotNet's representation model of the one document; null with the reason when it refuses the text.</summary>
    private static YamlDotNet.RepresentationModel.YamlNode? ReadWithYamlDotNet(string text, out string? error)
    {
        error = null;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            return stream.Documents.Count == 1 ? stream.Documents[0].RootNode : null;
        }
        catch (Exception e) // the library refuses some text with exceptions other than YamlException
        {
            error = e.Message;
            return null;
        }
    }

    private static SourcePosition At(Mark mark) => new((int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));
}
