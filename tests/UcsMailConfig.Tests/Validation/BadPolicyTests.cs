using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using UcsMailConfig.Diagnostics;
using UcsMailConfig.Policy;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Validation;

/// <summary>
/// Acceptance: every bad policy is reported at the exact FILE:LINE:COL with its code, all
/// findings of one file in one run and in file order, exit 1, and nothing is written.
/// The policies go through the real CLI in-process, so argument parsing, the printed format
/// and the exit code are covered together with the validation rules.
/// </summary>
/// <remarks>
/// Every expected position below was worked out by hand from the YAML (1-based; unknown and
/// duplicate keys at the key, bad values at the value, missing keys at the first key of the
/// enclosing mapping, cross-value rules at the node the rule names), not copied from output.
/// </remarks>
public sealed partial class BadPolicyTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("bad-policy-test-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static readonly string BadPolicyFolder = Path.Combine(AppContext.BaseDirectory, "Validation", "bad-policies");
    private static readonly string WarningPolicyFolder = Path.Combine(AppContext.BaseDirectory, "Validation", "warning-policies");

    /// <summary>
    /// The bad policies, one NAME.yaml per case beside this file (bad-policies/), each with its
    /// NAME.expected: every error line as printed, without the leading "FILE:", in file order.
    /// </summary>
    public static TheoryData<string> BadPolicies => Cases(BadPolicyFolder);

    /// <summary>Valid policies that draw warnings (warning-policies/): NAME.yaml and the warning lines in NAME.expected.</summary>
    public static TheoryData<string> WarningPolicies => Cases(WarningPolicyFolder);

    private static TheoryData<string> Cases(string folder) => [.. Names(folder)];

    private static List<string> Names(string folder) =>
        [.. Directory.GetFiles(folder, "*.yaml").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal)];

    private static string[] ExpectedLines(string folder, string name) =>
        File.ReadAllText(Path.Combine(folder, name + ".expected")).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private string CopyCase(string folder, string name) =>
        WritePolicy($"{name}.yaml", File.ReadAllBytes(Path.Combine(folder, name + ".yaml")));

    [Theory]
    [MemberData(nameof(BadPolicies))]
    public void BadPolicy_IsReportedAtExactPositions_Exit1_NothingWritten(string name)
    {
        var path = CopyCase(BadPolicyFolder, name);

        AssertRejected(path, ExpectedLines(BadPolicyFolder, name), stderr => Diagnostics(stderr, path, "error"));
    }

    [Fact]
    public void FileTooLarge_IsRejectedBeforeReading()
    {
        // A sparse file: the size check must fire on the length alone, without reading 32 MiB.
        var path = Path.Combine(_root, "huge.yaml");
        using (var stream = File.Create(path))
        {
            stream.SetLength(PolicyLoader.MaxBytes + 1L);
        }

        AssertRejected(path, [(1, 1, "UMC012")]);
    }

    [Fact]
    public void InvalidUtf8_IsASyntaxErrorAtTheBadByte()
    {
        var path = WritePolicy("latin1.yaml", [.. "version: 1\n# café caf"u8, 0xE9, (byte)'\n']);

        AssertRejected(path, [(2, 11, "UMC001")]);
    }

    [Theory]
    [MemberData(nameof(WarningPolicies))]
    public void WarningOnlyPolicy_Exits0_AndPrintsEachWarningAtItsPosition(string name)
    {
        var path = CopyCase(WarningPolicyFolder, name);

        var (exit, _, stderr) = Run("validate", path);

        Assert.True(exit == 0, $"exit {exit}; stderr:\n{stderr}");
        Assert.Equal(ExpectedLines(WarningPolicyFolder, name), Diagnostics(stderr, path, "warning"));
        Assert.DoesNotContain(Lines(stderr), l => l.Contains(": error", StringComparison.Ordinal));
    }

    [Fact]
    public void Table_CoversEveryErrorCode_AndEveryWarningCode()
    {
        var warningCodes = new HashSet<string> { "UMC049", "UMC052", "UMC069", "UMC055", "UMC056", "UMC058", "UMC072", "UMC073", "UMC074", "UMC075" };

        // UMC012 needs a 32 MiB file, UMC061, UMC062 and UMC065 need key files (only dns, dns check
        // and apply read them): each has its own test.
        var notInTable = new HashSet<string> { "UMC012", "UMC061", "UMC062", "UMC065" };
        var allCodes = typeof(DiagnosticCode).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticCode))
            .Select(f => ((DiagnosticCode)f.GetValue(null)!).Id)
            .ToHashSet();

        var tableErrors = Codes(BadPolicyFolder);
        var tableWarnings = Codes(WarningPolicyFolder);

        Assert.True(Names(BadPolicyFolder).Count >= 45, $"only {Names(BadPolicyFolder).Count} bad policies");
        Assert.Equal(allCodes.Except(warningCodes).Except(notInTable).Order(), tableErrors.Order());
        Assert.Equal(warningCodes.Order(), tableWarnings.Order());
    }

    [Fact]
    public void MissingKeyFile_IsAnErrorAtTheSelector_WhereKeysAreRead()
    {
        var path = WritePolicy("no-key.yaml", "version: 1\ndomains:\n  example.com:\n    dkim:\n      selectors:\n        s1: {}\n        \"20261128\": {key: /etc/opendkim/keys/k.pem}\n"u8.ToArray());

        var (exit, stdout, stderr) = Run("dns", path, "--root", _root);

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Equal(["6:9: error UMC062: ", "7:9: error UMC062: "], ErrorPrefixes(stderr, path));
        Assert.Contains("--selector 20261128 --key /etc/opendkim/keys/k.pem --root", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void UnsafeKeyFile_IsAnErrorAtTheSelector_WithTheRepair()
    {
        var path = WritePolicy("unsafe-key.yaml", "version: 1\ndomains:\n  example.com:\n    dkim:\n      selectors:\n        s1: {}\n"u8.ToArray());
        Assert.Equal(0, Run("dkim", "keygen", "--domain", "example.com", "--selector", "s1", "--root", _root).Exit);
        var key = Path.Combine(_root, "etc/opendkim/keys/example.com/s1.private");
        File.SetUnixFileMode(key, (UnixFileMode)0b110_100_000);

        var (exit, stdout, stderr) = Run("dns", path, "--root", _root);

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Equal(["6:9: error UMC065: "], ErrorPrefixes(stderr, path));
        Assert.Contains($"has mode 0640, so others could read or change it; nothing was changed; repair it with: chown opendkim:opendkim {key} && chmod 0600 {key}", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void WeakKey_IsAWarningAtTheSelector_WhereKeysAreRead()
    {
        var path = WritePolicy("weak-key.yaml", "version: 1\ndomains:\n  example.com:\n    dkim:\n      selectors:\n        s1: {}\n"u8.ToArray());
        Assert.Equal(0, Run("dkim", "keygen", "--domain", "example.com", "--selector", "s1", "--bits", "1024", "--root", _root).Exit);

        var (exit, _, stderr) = Run("dns", path, "--root", _root);

        Assert.Equal(0, exit);
        var warnings = Lines(stderr).Where(l => l.Contains(": warning ", StringComparison.Ordinal)).Select(l => DiagnosticPrefix(l, path, "warning"));
        Assert.Equal(["6:9: warning UMC061: "], warnings);
    }

    [Fact]
    public void UnknownKeyMessage_NamesTheSuggestionAndTheValidKeys()
    {
        var path = WritePolicy("typo.yaml", "version: 1\npostfix:\n  queue:\n    maximal_lifetme: 1h\n"u8.ToArray());

        var (_, _, stderr) = Run("validate", path);

        Assert.Contains(
            $"{path}:4:5: error UMC003: unknown key 'maximal_lifetme' in postfix.queue; did you mean 'maximal_lifetime'? valid keys here: maximal_lifetime, bounce_lifetime, delay_warning",
            Lines(stderr));
    }

    [Fact]
    public void ChoiceMessage_ListsTheValidChoices_AndSuggestsTheClosest()
    {
        var path = WritePolicy("choice.yaml", "version: 1\npostfix:\n  milters:\n    default_action: rejct\n"u8.ToArray());

        var (_, _, stderr) = Run("validate", path);

        Assert.Contains(
            $"{path}:4:21: error UMC023: postfix.milters.default_action must be one of accept, reject, tempfail, quarantine, not 'rejct' (did you mean 'reject'?)",
            Lines(stderr));
    }

    [Fact]
    public void MissingKeyMessage_NamesTheKey()
    {
        var path = WritePolicy("no-version.yaml", "postfix: {}\n"u8.ToArray());

        var (_, _, stderr) = Run("validate", path);

        Assert.Contains(Lines(stderr), l => l.StartsWith($"{path}:1:1: error UMC005: the top level needs the key 'version'", StringComparison.Ordinal));
    }

    [Fact]
    public void ControlCharacter_IsPrintedEscaped_NeverRaw()
    {
        // A raw ESC or BEL in a message could rewrite the admin's terminal.
        var path = WritePolicy("bell.yaml", "version: 1\ndomains:\n  example.com:\n    dmarc:\n      policy: \"reject\\u0007\\e[2J\"\n"u8.ToArray());

        var (exit, _, stderr) = Run("validate", path);

        Assert.Equal(1, exit);
        Assert.Contains(@"value 'reject\u0007\u001B[2J' contains the control or invisible character U+0007", stderr, StringComparison.Ordinal);
        AssertNoRawControlCharacter(stderr);
    }

    // ---- Hostile input that once slipped through: reported once, escaped, never a crash. ----

    [Fact]
    public void Alias_IsReportedOnce()
    {
        var path = WritePolicy("alias.yaml", "version: 1\npostfix:\n  queue:\n    maximal_lifetime: &life 1h\n    bounce_lifetime: *life\n"u8.ToArray());

        AssertRejected(path, [(4, 23, "UMC008"), (5, 22, "UMC008")]);
    }

    [Fact]
    public void InvalidDkimEnabled_IsReportedOnce()
    {
        var path = WritePolicy("enabled-yes.yaml", "version: 1\ndkim:\n  enabled: yes\n"u8.ToArray());

        AssertRejected(path, [(3, 12, "UMC021")]);
    }

    [Fact]
    public void DuplicateKeyMessage_EscapesControlCharacters()
    {
        var path = WritePolicy("dup-esc.yaml", "version: 1\n\"a\\e[31mb\": 1\n\"a\\e[31mb\": 2\n"u8.ToArray());

        var (exit, _, stderr) = Run("validate", path);

        Assert.Equal(1, exit);
        AssertNoRawControlCharacter(stderr);
    }

    [Fact]
    public void ValueMessageUnderBadKey_EscapesControlCharacters()
    {
        var path = WritePolicy("path-esc.yaml", "version: 1\ndomains:\n  \"exa\\ample.com\":\n    dmarc: {policy: bounce}\n"u8.ToArray());

        var (exit, _, stderr) = Run("validate", path);

        Assert.Equal(1, exit);
        AssertNoRawControlCharacter(stderr);
    }

    [Fact]
    public void TagMessage_EscapesControlCharacters()
    {
        var path = WritePolicy("tag-esc.yaml", "version: !x%1B[31m 1\n"u8.ToArray());

        var (exit, _, stderr) = Run("validate", path);

        Assert.Equal(1, exit);
        AssertNoRawControlCharacter(stderr);
    }

    [Fact]
    public void SelectorListedTwiceInOtherCase_IsADuplicate()
    {
        var path = WritePolicy("selector-case.yaml", "version: 1\ndomains:\n  example.com:\n    dkim:\n      selectors:\n        S1: {}\n        s1: {}\n"u8.ToArray());

        AssertRejected(path, [(7, 9, "UMC002")]);
    }

    [Fact]
    public void EmptyDocumentAfterMarker_IsReportedAtTheMarker()
    {
        var path = WritePolicy("only-marker.yaml", "---\n"u8.ToArray());

        AssertRejected(path, [(1, 1, "UMC009")]);
    }

    [Fact]
    public void DeeplyNestedFlowSequence_IsRejected_NotACrash()
    {
        const int depth = 10_000;
        var path = WritePolicy("deep.yaml", Encoding.UTF8.GetBytes($"version: 1\nx: {new string('[', depth)}{new string(']', depth)}\n"));

        var (exit, _, stderr) = Run("validate", path);

        Assert.Equal(1, exit);
        Assert.Contains(": error UMC", stderr, StringComparison.Ordinal);
    }

    // ---- helpers ----

    /// <summary>
    /// validate and render both exit 1 with exactly <paramref name="expected"/> as errors, in
    /// that order, and render leaves no trace (no --out folder, no staging folder).
    /// </summary>
    private void AssertRejected(string path, IReadOnlyList<(int Line, int Column, string Code)> expected) =>
        AssertRejected(path, [.. expected.Select(e => $"{e.Line}:{e.Column}: error {e.Code}: ")], stderr => ErrorPrefixes(stderr, path));

    /// <summary>As above, comparing what <paramref name="found"/> takes from stderr (prefixes or whole lines).</summary>
    private void AssertRejected(string path, IReadOnlyList<string> expected, Func<string, List<string>> found)
    {
        var (exit, stdout, stderr) = Run("validate", path);
        Assert.True(exit == 1, $"validate: exit {exit}; stderr:\n{stderr}");
        Assert.Equal("", stdout);
        Assert.Equal(expected, found(stderr));

        var outDir = Path.Combine(_root, "out");
        var before = Directory.GetFileSystemEntries(_root).Order().ToList();
        var (renderExit, _, renderErr) = Run("render", path, "--out", outDir);
        Assert.True(renderExit == 1, $"render: exit {renderExit}; stderr:\n{renderErr}");
        Assert.Equal(expected, found(renderErr));
        Assert.False(Directory.Exists(outDir), "render created --out for an invalid policy");
        Assert.Equal(before, Directory.GetFileSystemEntries(_root).Order().ToList());
    }

    private static List<string> ErrorPrefixes(string stderr, string path) =>
        Lines(stderr).Where(l => l.Contains(": error ", StringComparison.Ordinal)).Select(l => DiagnosticPrefix(l, path, "error")).ToList();

    /// <summary>
    /// "L:C: error UMCnnn: " of a line that starts with "FILE:"; the whole line when it has any
    /// other shape, so the diff shows it. The file is cut off because xunit shortens long
    /// strings in its diff and would hide the position and code behind the temp path.
    /// </summary>
    private static string DiagnosticPrefix(string line, string path, string severity)
    {
        var match = Regex.Match(line, $@"^{Regex.Escape(path)}:(\d+:\d+: {severity} UMC\d{{3}}: )");
        return match.Success ? match.Groups[1].Value : line;
    }

    /// <summary>The lines of one severity without the leading "FILE:" (the policy lies in a temporary folder).</summary>
    private static List<string> Diagnostics(string stderr, string path, string severity) =>
        [.. Lines(stderr).Where(l => l.Contains($": {severity} ", StringComparison.Ordinal))
            .Select(l => l.StartsWith(path + ":", StringComparison.Ordinal) ? l[(path.Length + 1)..] : l)];

    private static HashSet<string> Codes(string folder) =>
        [.. Names(folder).SelectMany(name => ExpectedLines(folder, name)).Select(line => ExpectedCode().Match(line).Groups[1].Value)];

    [GeneratedRegex(@"^\d+:\d+: (?:error|warning) (UMC\d{3}): ")]
    private static partial Regex ExpectedCode();

    private static IEnumerable<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static void AssertNoRawControlCharacter(string stderr)
    {
        var bad = stderr.Where(c => c < ' ' && c != '\n').Select(c => $"U+{(int)c:X4}").ToList();
        Assert.True(bad.Count == 0, $"raw control characters {string.Join(", ", bad)} in stderr:\n{stderr}");
    }

    private string WritePolicy(string fileName, byte[] content)
    {
        var path = Path.Combine(_root, fileName);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        var (exit, stdout, stderr) = CliRun.Run(args);
        return (exit, stdout, stderr);
    }
}
