
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using UcsMailConfig.Diagnostics;
using UcsMailConfig.Policy;
using UcsMailConfig.Rendering;
using UcsMailConfig.Rendering.Derive;
using UcsMailConfig.Tests.Support;
using Xunit.Abstractions;

namespace UcsMailConfig.Tests.Properties;

/// <summary>
/// load → validate → derive → render, fed with generated, hostile and mutated policies.
/// The contract under test: the loader never throws and explains every rejection at a real
/// position; whatever it accepts renders, deterministically, into clean LF-only UTF-8; and no
/// user value can add a line to a generated file.
/// </summary>
/// <remarks>
/// Reproducing a failure: CsCheck shrinks it and prints the smallest input (as a pasteable
/// string literal) together with its seed. Re-run just that property with the seed, e.g.
/// <c>CsCheck_Seed=&lt;seed&gt; dotnet test tests/UcsMailConfig.Tests --filter "FullyQualifiedName~PipelinePropertyTests.Mutated_policies_survive_the_pipeline"</c>.
/// The seed applies to every property of the run, hence the filter. <c>CsCheck_Iter=100000</c>
/// runs every property longer (a soak run); without it the counts below keep the whole class
/// well under a minute on two cores.
/// </remarks>
public sealed class PipelinePropertyTests(ITestOutputHelper output)
{
    [Fact]
    public void Generated_policies_survive_the_pipeline()
    {
        var stats = new Stats();
        var gen = Gen.Frequency((2, PolicyGenerators.Valid), (3, PolicyGenerators.Hostile));
        Run(gen, input => stats.Count(input.Origin.Split(' ')[0], PipelineChecks.Check(input, canary: false)), 5000);
        output.WriteLine(stats.ToString());
    }

    [Fact]
    public void Mutated_policies_survive_the_pipeline()
    {
        var stats = new Stats();
        Run(PolicyGenerators.Mutated(Examples.Value), input => stats.Count(input.Bytes is null ? "text" : "bytes", PipelineChecks.Check(input, canary: false)), 5000);
        output.WriteLine(stats.ToString());
    }

    [Fact]
    public void Line_break_canaries_never_reach_the_output()
    {
        var stats = new Stats();
        Run(PolicyGenerators.Canary, input => stats.Count("canary", PipelineChecks.Check(input, canary: true)), 2000);

        // An accepted canary passes as long as its marker stayed out of the output; the count
        // shows whether the stricter rule (a line break is never accepted) holds as well.
        output.WriteLine(stats.ToString());
    }

    /// <summary>Without this, a generator that only produces garbage would make the render properties vacuous.</summary>
    [Fact]
    public void Valid_generator_is_mostly_accepted()
    {
        var stats = new Stats();
        var rejections = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var examples = new ConcurrentQueue<string>();
        Run(PolicyGenerators.Valid, input =>
        {
            var outcome = PipelineChecks.Check(input, canary: false);
            stats.Count("valid", outcome);
            if (!outcome.Accepted)
            {
                foreach (var error in outcome.Result.Diagnostics.Where(d => d.Severity == Severity.Error))
                {
                    rejections.AddOrUpdate(error.Code.Id, 1, (_, n) => n + 1);
                    if (examples.Count < 5)
                    {
                        examples.Enqueue($"{error.Format("policy")}\n{input}");
                    }
                }
            }
        }, 1000);

        output.WriteLine(stats.ToString());
        output.WriteLine("rejections by code: " + string.Join(", ", rejections.OrderByDescending(r => r.Value).Select(r => $"{r.Key}={r.Value}")));
        foreach (var example in examples)
        {
            output.WriteLine(example);
        }

        var ratio = stats.Ratio("valid");
        Assert.True(ratio >= 0.20, $"only {ratio:P1} of the valid generator's policies were accepted; the render properties would test almost nothing");
    }

    /// <summary>The examples are the reviewed reference; the checks must hold for them, and they must be accepted.</summary>
    [Fact]
    public void Examples_survive_the_pipeline()
    {
        foreach (var (text, index) in Examples.Value.Select((t, i) => (t, i)))
        {
            var outcome = PipelineChecks.Check(new PolicyInput($"example {index}", text), canary: false);
            Assert.True(outcome.Accepted, string.Join("\n", outcome.Result.Diagnostics.Select(d => d.Format($"example {index}"))));
        }
    }

    /// <summary>
    /// Messages quote user values and cut long ones; the cut must not split a character that
    /// needs two UTF-16 units, or the message cannot be printed or written as JSON faithfully.
    /// </summary>
    [Fact]
    public void Diagnostic_messages_are_well_formed_unicode()
    {
        var gen = Gen.Select(PolicyGenerators.ValidTree, Gen.Int[0, int.MaxValue], Gen.Int[0, 100], Gen.Int[1, 60], (tree, target, ascii, astral) =>
        {
            var scalars = Positions.Scalars(tree, includeKeys: true);
            var scalar = scalars[target % scalars.Count].Scalar;
            scalar.Value = new string('a', ascii) + string.Concat(Enumerable.Repeat("😀", astral));
            scalar.Style = ScalarStyle.DoubleQuoted;
            return new PolicyInput("astral value", YamlPrinter.Print(tree));
        });
        Run(gen, input =>
        {
            foreach (var diagnostic in input.Load().Diagnostics)
            {
                var lone = LoneSurrogate(diagnostic.Message);
                Assert.True(lone < 0, $"message has a lone surrogate U+{(lone < 0 ? 0 : (int)diagnostic.Message[lone]):X4} at {lone}: {PolicyInput.Literal(diagnostic.Message)}");
            }
        }, 500);
    }

    private void Run(Gen<PolicyInput> gen, Action<PolicyInput> property, long iterations)
    {
        var watch = Stopwatch.StartNew();

        // CsCheck_Iter, when set, replaces the default count (CsCheck itself reads CsCheck_Seed).
        var iter = Environment.GetEnvironmentVariable("CsCheck_Iter") is null ? iterations : Check.Iter;
        gen.Sample(property, writeLine: output.WriteLine, iter: iter, print: input => input.ToString());
        output.WriteLine($"{iter} iterations in {watch.Elapsed.TotalSeconds:F1} s");
    }

    private static int LoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static readonly Lazy<IReadOnlyList<string>> Examples = new(() =>
    {
        var files = Directory.GetFiles(RepoPaths.Examples, "mail-policy.yaml", SearchOption.AllDirectories);
        Array.Sort(files, StringComparer.Ordinal);
        Assert.NotEmpty(files);
        return [.. files.Select(File.ReadAllText)];
    });

    /// <summary>Accepted/total per input kind, thread-safe because CsCheck samples on every core.</summary>
    private sealed class Stats
    {
        private readonly ConcurrentDictionary<string, (int Accepted, int Total)> _counts = new(StringComparer.Ordinal);

        public void Count(string kind, PipelineChecks.Outcome outcome) =>
            _counts.AddOrUpdate(kind, _ => (outcome.Accepted ? 1 : 0, 1), (_, c) => (c.Accepted + (outcome.Accepted ? 1 : 0), c.Total + 1));

        public double Ratio(string kind) => _counts.TryGetValue(kind, out var c) && c.Total > 0 ? (double)c.Accepted / c.Total : 0;

        // Counts include CsCheck's shrinking runs, if any; on a passing run they are the sample itself.
        public override string ToString() => "accepted: " + string.Join(", ", _counts.OrderBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => $"{c.Key} {c.Value.Accepted}/{c.Value.Total} ({(double)c.Value.Accepted / c.Value.Total:P1})"));
    }
}

/// <summary>The checks every input goes through, whatever generated it.</summary>
internal static partial class PipelineChecks
{
    public sealed record Outcome(PolicyLoadResult Result, bool Accepted);

    private static readonly string MainCf = TemplateCatalog.OutputPath(TemplateCatalog.MainCfFragment);
    private const string UcrWarning = "@%@UCRWARNING=# @%@";

    /// <summary>Line grammars of the files whose format we know: a user value could only forge a line by breaking one of them.</summary>
    private static readonly Dictionary<string, Regex> Grammars = new(StringComparer.Ordinal)
    {
        [MainCf] = MainCfSetting(),
        [TemplateCatalog.OutputPath(TemplateCatalog.UcrVariables)] = UcrSetting(),
        [TemplateCatalog.OutputPath(TemplateCatalog.OpenDkimConf)] = OpenDkimSetting(),
        [TemplateCatalog.OutputPath(TemplateCatalog.KeyTable)] = KeyTableRow(),
        [TemplateCatalog.OutputPath(TemplateCatalog.SigningTable)] = TwoFields(),
        [TemplateCatalog.OutputPath(TemplateCatalog.TrustedHosts)] = OneField(),
        [TemplateCatalog.OutputPath(TemplateCatalog.InternalHosts)] = OneField(),
    };

    private static readonly ConcurrentDictionary<string, HashSet<string>> TemplateLines = new(StringComparer.Ordinal);

    public static Outcome Check(PolicyInput input, bool canary)
    {
        var result = input.Load();
        var errors = result.Diagnostics.Count(d => d.Severity == Severity.Error);
        Assert.True(errors > 0 == result.Policy is null,
            $"{errors} error(s) but the policy is {(result.Policy is null ? "null" : "not null")}; a policy must be returned exactly when there is no error");

        var lastLine = input.Yaml.Count(c => c is '\n' or '\r' or '\u0085' or '\u2028' or '\u2029') + 2;
        foreach (var diagnostic in result.Diagnostics)
        {
            var where = $"diagnostic {diagnostic.Code.Id} at {diagnostic.Position}";
            Assert.True(diagnostic.Position.Line >= 1 && diagnostic.Position.Column >= 1, $"{where}: positions are 1-based");
            Assert.True(diagnostic.Position.Line <= lastLine, $"{where}: the text has at most {lastLine - 1} lines");
            Assert.False(string.IsNullOrWhiteSpace(diagnostic.Message), $"{where}: empty message");
            var control = FirstIndex(diagnostic.Message, IsControl);
            Assert.True(control < 0, $"{where}: raw control character in {PolicyInput.Literal(diagnostic.Message)}");
        }

        if (result.Policy is null)
        {
            return new Outcome(result, Accepted: false);
        }

        var model = RenderModelDeriver.Derive(result.Policy);
        var first = TreeRenderer.Render(model);
        var second = TreeRenderer.Render(RenderModelDeriver.Derive(result.Policy));
        Assert.Equal(first.Files.Keys, second.Files.Keys);
        foreach (var (path, file) in first.Files)
        {
            Assert.True(file.Content.AsSpan().SequenceEqual(second.Files[path].Content), $"{path}: rendering the same policy twice gave different bytes");
            Assert.Equal(file.Mode, second.Files[path].Mode);
        }

        var templateOf = model.Templates.ToDictionary(TemplateCatalog.OutputPath, StringComparer.Ordinal);
        foreach (var (path, file) in first.Files)
        {
            CheckFile(path, file, templateOf.GetValueOrDefault(path), canary);
        }

        return new Outcome(result, Accepted: true);
    }

    private static void CheckFile(string path, RenderedFile file, string? template, bool canary)
    {
        Assert.False(Path.IsPathRooted(path) || path.Split('/').Contains(".."), $"{path}: output paths stay below the target root");
        Assert.False(file.Content.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]), $"{path}: starts with a BOM");
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(file.Content);
        }
        catch (DecoderFallbackException e)
        {
            throw new Xunit.Sdk.XunitException($"{path}: not valid UTF-8 ({e.Message})");
        }

        Assert.True(text.Length == 0 || text.EndsWith('\n'), $"{path}: does not end with a line feed");
        var bad = FirstIndex(text, c => c != '\n' && c != '\t' && IsControl(c));
        Assert.True(bad < 0, $"{path}: control character or line break U+{(bad < 0 ? 0 : (int)text[bad]):X4} at offset {bad} (a user value broke a line?)\n{text}");

        var grammar = Grammars.GetValueOrDefault(path);
        var staticLines = template is null ? [] : TemplateLines.GetOrAdd(template, t => [.. TemplateCatalog.Source(t).Split('\n')]);
        foreach (var line in text.Split('\n'))
        {
            Assert.False(line.TrimStart().StartsWith(Samples.Marker, StringComparison.Ordinal), $"{path}: a value forged the line {PolicyInput.Literal(line)}");
            Assert.False(canary && line.Contains(Samples.Marker, StringComparison.Ordinal), $"{path}: the canary reached the output: {PolicyInput.Literal(line)}");

            // UCR substitutes @%@...@%@ and runs @!@...@!@ when it commits the file: only the templates' own lines may hold them.
            if ((line.Contains("@%@", StringComparison.Ordinal) || line.Contains("@!@", StringComparison.Ordinal)) && !staticLines.Contains(line))
            {
                Assert.Fail($"{path}: a UCR marker in a generated line: {PolicyInput.Literal(line)}");
            }

            if (grammar is not null && !(line.Length == 0 || line.StartsWith('#') || line == UcrWarning || grammar.IsMatch(line)))
            {
                Assert.Fail($"{path}: the line {PolicyInput.Literal(line)} is neither a comment nor a {grammar} line");
            }
        }
    }

    private static int FirstIndex(string text, Func<char, bool> predicate)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (predicate(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Control characters (C0, DEL, C1) and the Unicode line and paragraph separators: what <c>ValueSafety</c> keeps out of values.</summary>
    private static bool IsControl(char c) =>
        c < ' ' || c is '\u007F' or '\u2028' or '\u2029' || (c >= '\u0080' && c <= '\u009F');

    // Postfix names may hold capitals (smtpd_tls_CAfile), and the policy accepts them since; the
    // point is that each line is one NAME = VALUE, never two settings or a continuation line.
    [GeneratedRegex("^[a-z][A-Za-z0-9_]* = ")]
    private static partial Regex MainCfSetting();

    [GeneratedRegex("^[a-z][a-z0-9_./-]*=")]
    private static partial Regex UcrSetting();

    [GeneratedRegex(@"^[A-Z][A-Za-z]*[ \t]+\S+$")]
    private static partial Regex OpenDkimSetting();

    [GeneratedRegex(@"^\S+ [^\s:]+:[^\s:]+:[^\s:]+$")]
    private static partial Regex KeyTableRow();

    [GeneratedRegex(@"^\S+ \S+$")]
    private static partial Regex TwoFields();

    [GeneratedRegex(@"^\S+$")]
    private static partial Regex OneField();
}
