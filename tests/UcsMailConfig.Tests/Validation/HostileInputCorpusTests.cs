using System.Text;
using System.Text.RegularExpressions;
using UcsMailConfig.Diagnostics;
using UcsMailConfig.Tests.Support;
using Xunit.Abstractions;

namespace UcsMailConfig.Tests.Validation;

/// <summary>
/// A corpus of hostile inputs made from the example policies (truncated, bytes flipped,
/// invalid UTF-8, NUL, BOM, CRLF, separators and UCR markers in every value, a 10 MB line,
/// 100,000 keys, deep nesting, aliases), each run through validate and render. The contract:
/// exit 0 or 1, never a stack trace, every message line about the policy names it, no run
/// without an end (a generous cap per case, by cancellation), and on exit 1 nothing written.
/// </summary>
public sealed partial class HostileInputCorpusTests(ITestOutputHelper output) : IDisposable
{
    // Far above any case's need (the largest takes seconds): it only turns a hang into a failure.
    private static readonly TimeSpan CaseCap = TimeSpan.FromMinutes(2);

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private sealed record Case(string Name, byte[] Content);

    [Fact]
    public async Task Every_hostile_input_ends_in_exit_0_or_1_with_messages_and_writes_nothing_on_1()
    {
        var cases = Corpus().ToList();
        Assert.True(cases.Count >= 300, $"only {cases.Count} cases");

        var failures = new List<string>();
        var exits = new int[2];
        for (var i = 0; i < cases.Count; i++)
        {
            var (problem, exit) = await Check(cases[i], i, inProcess: true);
            if (problem is not null)
            {
                failures.Add($"{cases[i].Name}: {problem}");
            }
            else
            {
                exits[exit]++;
            }
        }

        output.WriteLine($"{cases.Count} cases: {exits[0]} valid, {exits[1]} refused");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        // Both outcomes, many times: a corpus of only refusals would never reach render's writing.
        Assert.True(exits[0] >= 40 && exits[1] >= 200, $"{exits[0]} valid, {exits[1]} refused");
    }

    [Fact]
    public async Task A_few_hostile_inputs_through_the_real_process()
    {
        var names = new[] { "nul-0", "invalid-utf8-0-0", "ten-megabyte-value", "deep-flow-nesting", "crlf-single-domain", "alias-bomb" };
        var cases = Corpus().Where(c => names.Contains(c.Name)).ToList();
        Assert.Equal(names.Length, cases.Count);

        var failures = new List<string>();
        for (var i = 0; i < cases.Count; i++)
        {
            if ((await Check(cases[i], i, inProcess: false)).Problem is { } problem)
            {
                failures.Add($"{cases[i].Name}: {problem}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    // Runs validate and render on one case; returns what is wrong (or null) and the exit code.
    private async Task<(string? Problem, int Exit)> Check(Case hostile, int index, bool inProcess)
    {
        var folder = _temp.Combine($"case-{index}");
        Directory.CreateDirectory(folder);
        var policy = Path.Combine(folder, "mail-policy.yaml");
        await File.WriteAllBytesAsync(policy, hostile.Content);
        var outDir = Path.Combine(folder, "out");
        try
        {
            var validate = await Run(inProcess, "validate", policy).WaitAsync(CaseCap);
            var render = await Run(inProcess, "render", policy, "--out", outDir).WaitAsync(CaseCap);
            var problem = Problem("validate", validate, policy) ?? Problem("render", render, policy);
            if (problem is null && validate.Exit != render.Exit)
            {
                problem = $"validate exits {validate.Exit} and render {render.Exit}";
            }

            var written = Directory.GetFileSystemEntries(folder).Select(Path.GetFileName).Order().ToArray();
            if (problem is null && render.Exit == 1 && written is not ["mail-policy.yaml"])
            {
                problem = $"render exited 1 and left {string.Join(", ", written)}";
            }

            return (problem, render.Exit);
        }
        catch (TimeoutException)
        {
            return ($"no end within {CaseCap}", -1);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static Task<CliResult> Run(bool inProcess, params string[] args)
    {
        if (inProcess)
        {
            return Task.Run(() => CliRun.Run(args));
        }

        var cli = Path.Combine(AppContext.BaseDirectory, "ucs-mail-config.dll");
        return Task.Run(() =>
        {
            var result = ExternalProgram.Run("dotnet", [cli, .. args], CaseCap);
            return new CliResult(result.ExitCode, result.StdOut, result.StdErr);
        });
    }

    private static string? Problem(string command, CliResult result, string policy)
    {
        var text = result.Stdout + result.Stderr;
        if (result.Exit is not (0 or 1))
        {
            return $"{command} exited {result.Exit}: {Cut(result.Stderr)}";
        }

        if (text.Contains("   at ", StringComparison.Ordinal) || text.Contains("Exception", StringComparison.Ordinal))
        {
            return $"{command} printed a stack trace: {Cut(text)}";
        }

        // Each message about the policy starts with its name (FILE:LINE:COL or FILE:).
        var stray = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(l => !l.StartsWith(policy + ":", StringComparison.Ordinal));
        return stray is null ? null : $"{command} printed a line that names no position: {Cut(stray)}";
    }

    private static string Cut(string text) => text.Length > 300 ? text[..300] + "..." : text;

    private static IEnumerable<Case> Corpus()
    {
        var examples = Directory.GetDirectories(RepoPaths.Examples)
            .Select(d => Path.Combine(d, "mail-policy.yaml")).Where(File.Exists).Order(StringComparer.Ordinal)
            .Select(p => (Name: Path.GetFileName(Path.GetDirectoryName(p))!, Bytes: File.ReadAllBytes(p))).ToList();
        var random = new Random(20261207); // fixed: the same corpus every run, so a failure reproduces

        foreach (var (name, bytes) in examples)
        {
            for (var i = 1; i <= 12; i++)
            {
                yield return new Case($"truncated-{name}-{i}", bytes[..(bytes.Length * i / 13)]);
            }

            for (var i = 0; i < 12; i++)
            {
                var flipped = (byte[])bytes.Clone();
                flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
                yield return new Case($"byte-flip-{name}-{i}", flipped);
            }

            yield return new Case($"crlf-{name}", Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes).Replace("\n", "\r\n", StringComparison.Ordinal)));
            yield return new Case($"cr-{name}", Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes).Replace("\n", "\r", StringComparison.Ordinal)));
            yield return new Case($"bom-{name}", [0xEF, 0xBB, 0xBF, .. bytes]);
            yield return new Case($"bom-inside-{name}", Insert(bytes, bytes.Length / 2, [0xEF, 0xBB, 0xBF]));

            foreach (var value in ValueVariants(Encoding.UTF8.GetString(bytes)))
            {
                yield return new Case($"{value.Name}-{name}", Encoding.UTF8.GetBytes(value.Text));
            }
        }

        byte[][] invalidUtf8 = [[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xC0, 0xAF]];
        for (var e = 0; e < examples.Count; e++)
        {
            var bytes = examples[e].Bytes;
            for (var s = 0; s < invalidUtf8.Length; s++)
            {
                yield return new Case($"invalid-utf8-{e}-{s}", Insert(bytes, bytes.Length * (s + 1) / 5, invalidUtf8[s]));
            }

            yield return new Case($"nul-{e}", Insert(bytes, bytes.Length / 3, [0]));
        }

        var single = Encoding.UTF8.GetString(examples.First(e => e.Name == "single-domain").Bytes);
        yield return new Case("ten-megabyte-comment", Encoding.UTF8.GetBytes(single + "# " + new string('x', 10_000_000) + "\n"));
        yield return new Case("ten-megabyte-value", Encoding.UTF8.GetBytes(single + "webapp:\n  smime:\n    cipher: " + new string('x', 10_000_000) + "\n"));
        yield return new Case("ten-megabyte-key", Encoding.UTF8.GetBytes(single + new string('k', 10_000_000) + ": 1\n"));
        yield return new Case("hundred-thousand-keys", Encoding.UTF8.GetBytes("version: 1\npostfix:\n  parameters:\n"
            + string.Concat(Enumerable.Range(0, 100_000).Select(i => $"    ucs_test_{i}: value{i}\n"))));
        yield return new Case("hundred-thousand-unknown-keys", Encoding.UTF8.GetBytes("version: 1\n"
            + string.Concat(Enumerable.Range(0, 100_000).Select(i => $"k{i}: v\n"))));
        yield return new Case("deep-flow-nesting", Encoding.UTF8.GetBytes("version: 1\nx: " + new string('[', 100_000) + new string(']', 100_000) + "\n"));
        yield return new Case("deep-block-nesting", Encoding.UTF8.GetBytes("version: 1\n" + string.Concat(Enumerable.Range(0, 2_000).Select(i => new string(' ', i) + "k:\n"))));
        yield return new Case("alias-bomb", Encoding.UTF8.GetBytes("version: 1\na: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c]\n"));
        yield return new Case("anchor-on-a-value", Encoding.UTF8.GetBytes(single.Replace("maximal_lifetime: 1h", "maximal_lifetime: &l 1h\n    delay_warning: *l", StringComparison.Ordinal)));
    }

    private static byte[] Insert(byte[] bytes, int at, byte[] inserted) => [.. bytes[..at], .. inserted, .. bytes[at..]];

    // Every plain value and every first flow item of the example, replaced by each variant in
    // turn: escapes YAML turns into line breaks and separators, and UCR's markers.
    private static IEnumerable<(string Name, string Text)> ValueVariants(string policy)
    {
        string[] variants = ["\"a\\nb\"", "\"a\\r\\nb\"", "\"a\\u2028b\"", "\"a\\u0085b\"", "\"x@%@hostname@%@\"", "\"x @!@import os@!@\""];
        var lines = policy.Split('\n');
        for (var l = 0; l < lines.Length; l++)
        {
            foreach (var pattern in new[] { ScalarValue(), FirstFlowItem() })
            {
                var match = pattern.Match(lines[l]);
                if (!match.Success)
                {
                    continue;
                }

                for (var v = 0; v < variants.Length; v++)
                {
                    var changed = (string[])lines.Clone();
                    var value = match.Groups["value"];
                    changed[l] = lines[l][..value.Index] + variants[v] + lines[l][(value.Index + value.Length)..];
                    yield return ($"value-{l + 1}-{pattern == FirstFlowItem()}-{v}", string.Join('\n', changed));
                }
            }
        }
    }

    [GeneratedRegex(@"^\s*(- )?[A-Za-z_""0-9.*@-]+: (?<value>[^\s#{\[][^#]*?)\s*(#.*)?$")]
    private static partial Regex ScalarValue();

    [GeneratedRegex(@"\[(?<value>[^,\]]+)")]
    private static partial Regex FirstFlowItem();
}
