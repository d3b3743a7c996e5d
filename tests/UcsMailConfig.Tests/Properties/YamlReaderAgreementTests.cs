using CsCheck;
using UcsMailConfig.Diagnostics;
using UcsMailConfig.Policy.Load;
using UcsMailConfig.Tests.Support;
using Xunit.Abstractions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace UcsMailConfig.Tests.Properties;

/// <summary>
/// The policy reader is our own YAML subset reader; YamlDotNet is the reference. Whatever text
/// the reader accepts, YamlDotNet must read as the same tree: the same values, the same
/// plain-or-quoted style (it decides whether 'null' means nothing), the same positions. Valid
/// YAML the reader refuses gets "not supported" (UMC008), or one of the syntax errors listed
/// below where the reader is stricter on purpose; that is checked on the hand-picked corners,
/// since generated garbage meets YamlDotNet's own leniencies (it reads {"a": ::1} as ":1").
/// </summary>
public sealed class YamlReaderAgreementTests(ITestOutputHelper output)
{
    private static readonly string[] YamlCodes = ["UMC001", "UMC002", "UMC008", "UMC009", "UMC010"];

    /// <summary>
    /// Where the reader is stricter on purpose: a plain value continued on the next line is valid
    /// YAML that it reports as an indentation mistake, which it nearly always is in a policy; and
    /// a '#' right after a value starts a comment for YamlDotNet but not for YAML 1.2; YAML reserves
    /// '@', '`', '%', '|' and '>' at the start of a plain value, which YamlDotNet lets pass in places,
    /// a ':' before '}' ends a plain value in YAML 1.2 but not for YamlDotNet, and YAML 1.2 allows
    /// {a:{b: c}} where YamlDotNet wants a space after ':'.
    /// </summary>
    private static readonly string[] StricterOnPurpose =
    [
        "this line is indented more than", "put a space before '#'", "a value in { } that ends with ':'", "put a space after ':'",
        "a value cannot start with '@'", "a value cannot start with '`'", "a value cannot start with '%'",
        "a value cannot start with '|'", "a value cannot start with '>'",
    ];

    /// <summary>Valid YAML written the ways admins write it, and corners of the syntax.</summary>
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
    };

    [Theory]
    [MemberData(nameof(Corners))]
    public void Corners_read_as_YamlDotNet_reads_them(string text)
    {
        if (!AssertAgrees(text) && ReadWithYamlDotNet(text, out _) is not null)
        {
            var diagnostics = new DiagnosticBag();
            YamlTreeReader.Read(text, diagnostics);
            var errors = diagnostics.ToSortedList().Where(d => d.Code.Id == "UMC001").ToList();
            Assert.True(errors.All(e => StricterOnPurpose.Any(m => e.Message.StartsWith(m, StringComparison.Ordinal))),
                $"valid YAML refused as a syntax error: {string.Join("; ", errors.Select(d => d.Format("policy")))}\n{PolicyInput.Literal(text)}");
        }
    }

    [Fact]
    public void Generated_and_mutated_policies_read_as_YamlDotNet_reads_them()
    {
        var examples = Directory.GetFiles(RepoPaths.Examples, "mail-policy.yaml", SearchOption.AllDirectories).Select(File.ReadAllText).ToArray();
        var gen = Gen.Frequency((2, PolicyGenerators.Valid), (2, PolicyGenerators.Hostile), (3, PolicyGenerators.Mutated(examples)));
        var accepted = 0;
        var iterations = Environment.GetEnvironmentVariable("CsCheck_Iter") is null ? 5000 : Check.Iter;
        gen.Sample(input =>
        {
            if (input.Bytes is null && !input.Yaml.Any(IsOutsideYamlsCharacters) && AssertAgrees(input.Yaml))
            {
                Interlocked.Increment(ref accepted);
            }
        }, iter: iterations, print: input => input.ToString());
        output.WriteLine($"{accepted} of {iterations} accepted by the reader and compared with YamlDotNet");
        Assert.True(accepted > iterations / 5, "too few inputs were accepted for the comparison to mean much");
    }

    /// <summary>
    /// Characters a YAML stream may not hold, and the line breaks YAML 1.1 (YamlDotNet) has and
    /// 1.2 does not: parsers differ on them. The reader keeps them in the value, where the value
    /// check refuses every one (the pipeline properties hold that), so there is nothing to compare.
    /// Also the no-break space: YamlDotNet reads {\u00A0 x: y} as one value "\u00A0 x: y".
    /// </summary>
    private static bool IsOutsideYamlsCharacters(char c) =>
        (c < ' ' && c is not ('\t' or '\n' or '\r')) || (c >= '\u007F' && c <= '\u00A0')
        || c is '\u2028' or '\u2029' or '\uFEFF' or '\uFFFE' or '\uFFFF' || char.IsSurrogate(c);

    /// <summary>True when the reader accepted the text (and it matched YamlDotNet's reading).</summary>
    private static bool AssertAgrees(string text)
    {
        var diagnostics = new DiagnosticBag();
        var ours = YamlTreeReader.Read(text, diagnostics);
        var yamlErrors = diagnostics.ToSortedList().Where(d => YamlCodes.Contains(d.Code.Id)).ToList();
        var reference = ReadWithYamlDotNet(text, out var referenceError);
        if (ours is not null && yamlErrors.Count == 0)
        {
            Assert.True(reference is not null, $"the reader accepted text YamlDotNet refuses ({referenceError}):\n{PolicyInput.Literal(text)}");
            AssertSame(reference, ours, text);
            return true;
        }

        return false;
    }

    private static void AssertSame(YamlNode expected, YamlNode actual, string text)
    {
        var where = $"at {actual.Start} in\n{PolicyInput.Literal(text)}";
        switch (expected)
        {
            case YamlScalar { IsPlain: true } e when e.Value.Contains(": ", StringComparison.Ordinal):
                // A plain value never holds ': ' in YAML; YamlDotNet misreads some garbage this way
                // ({x?  y: z} as one value "x?  y: z"), which leaves nothing to compare below it.
                return;
            case YamlScalar e:
                var a = Assert.IsType<YamlScalar>(actual);
                Assert.True(e.Value == a.Value, $"value {PolicyInput.Literal(a.Value)}, YamlDotNet reads {PolicyInput.Literal(e.Value)} {where}");
                Assert.True(e.IsPlain == a.IsPlain, $"plain {a.IsPlain}, YamlDotNet {e.IsPlain} {where}");
                if (!a.IsNull)
                {
                    Assert.True(e.Start == a.Start, $"position {a.Start}, YamlDotNet {e.Start} {where}");
                }

                break;
            case YamlSequence e:
                var s = Assert.IsType<YamlSequence>(actual);
                Assert.True(e.Start == s.Start, $"position {s.Start}, YamlDotNet {e.Start} {where}");
                Assert.True(e.Items.Count == s.Items.Count, $"{s.Items.Count} items, YamlDotNet {e.Items.Count} {where}");
                for (var i = 0; i < e.Items.Count; i++)
                {
                    AssertSame(e.Items[i], s.Items[i], text);
                }

                break;
            case YamlMapping e:
                var m = Assert.IsType<YamlMapping>(actual);
                Assert.True(e.Start == m.Start, $"position {m.Start}, YamlDotNet {e.Start} {where}");
                Assert.True(e.Entries.Count == m.Entries.Count, $"{m.Entries.Count} entries, YamlDotNet {e.Entries.Count} {where}");
                for (var i = 0; i < e.Entries.Count; i++)
                {
                    AssertSame(e.Entries[i].Key, m.Entries[i].Key, text);
                    AssertSame(e.Entries[i].Value, m.Entries[i].Value, text);
                }

                break;
        }
    }

    /// <summary>YamlDotNet's reading as a tree; null with the reason when it refuses the text or it holds more than one document.</summary>
    private static YamlNode? ReadWithYamlDotNet(string text, out string? error)
    {
        error = null;
        try
        {
            var parser = new Parser(new StringReader(text));
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                return null;
            }

            parser.Consume<DocumentStart>();
            var root = Node(parser);
            parser.Consume<DocumentEnd>();
            if (!parser.Accept<StreamEnd>(out _))
            {
                error = "more than one document";
                return null;
            }

            return root;
        }
        catch (Exception e) // YamlDotNet refuses some text with EndOfStreamException or InvalidOperationException
        {
            error = e.Message;
            return null;
        }
    }

    private static YamlNode Node(IParser parser)
    {
        var current = parser.Current!;
        parser.MoveNext();
        switch (current)
        {
            case Scalar scalar:
                var textTag = !scalar.Tag.IsEmpty && scalar.Tag.Value == "tag:yaml.org,2002:str";
                return new YamlScalar(At(scalar.Start), scalar.Value, scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && !textTag);
            case SequenceStart start:
                var items = new List<YamlNode>();
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    items.Add(Node(parser));
                }

                return new YamlSequence(At(start.Start), items);
            case MappingStart start:
                var entries = new List<YamlEntry>();
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var key = Node(parser);
                    entries.Add(new YamlEntry(key as YamlScalar ?? new YamlScalar(key.Start, "(complex key)", false), Node(parser)));
                }

                return new YamlMapping(At(start.Start), entries);
            default:
                return new YamlRejected(At(current.Start));
        }
    }

    private static SourcePosition At(Mark mark) => new((int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));
}
