using System.Text.Json;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.UcrFixture;

/// <summary>
/// Runs tests/fixtures/ucr/ucr, the stand-in for UCS's <c>ucr</c>, against a private root directory.
/// </summary>
public static class UcrFixtureRunner
{
    public const string InvocationLog = "var/log/ucr-fixture.log";

    private static readonly Lazy<string> LazyScriptPath = new(LocateScript);

    public static TimeSpan Timeout { get; } = TimeSpan.FromSeconds(30);

    /// <summary>Absolute path of the fixture script, usable as the configured ucr program.</summary>
    public static string ScriptPath => LazyScriptPath.Value;

    public static ProgramResult Run(string root, params string[] args) =>
        RunWithEnvironment(new Dictionary<string, string?> { ["UCR_ROOT"] = root }, args);

    /// <summary>
    /// Runs the fixture with exactly the given fixture variables (UCR_ROOT, UCR_FIXTURE_FAIL, UNIVENTION_BASECONF):
    /// values inherited from the test process are removed first so a stray export cannot leak in.
    /// </summary>
    public static ProgramResult RunWithEnvironment(
        IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var isolated = new Dictionary<string, string?> { ["UCR_ROOT"] = null, ["UCR_FIXTURE_FAIL"] = null, ["UNIVENTION_BASECONF"] = null };
        foreach (var (name, value) in environment)
        {
            isolated[name] = value;
        }

        return ExternalProgram.Run(ScriptPath, args, Timeout, isolated);
    }

    /// <summary>The argument lists of all fixture invocations under <paramref name="root"/>, oldest first.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> ReadInvocations(string root)
    {
        var log = Path.Combine(root, InvocationLog);
        if (!File.Exists(log))
        {
            return [];
        }

        return File.ReadAllLines(log)
            .Select(line => (IReadOnlyList<string>)(JsonSerializer.Deserialize<string[]>(line)
                ?? throw new InvalidDataException($"bad line in {log}: {line}")))
            .ToList();
    }

    private static string LocateScript()
    {
        var script = Path.Combine(RepoPaths.Root, "tests", "fixtures", "ucr", "ucr");
        return File.Exists(script) ? script : throw new FileNotFoundException("ucr fixture script is missing", script);
    }
}
