using System.Text.Json;
using System.Text.Json.Serialization;

namespace UcsMailConfig.Ucs;

/// <summary>
/// What the last successful apply left on the host: the files we own (so a file the policy
/// no longer renders is removed) and the UCR variables we set (so a dropped setting is
/// unset). Stored as var/lib/ucs-mail-config/state.json below the root, root's 0600; read
/// only after <see cref="StateFiles"/> trusts it, and only when every entry is one the tool
/// manages.
/// </summary>
public sealed record ApplyState(IReadOnlyList<string> Files, IReadOnlyDictionary<string, string> Variables)
{
    public const string RelativePath = StateFiles.Directory + "state.json";

    public static readonly ApplyState Empty = new([], new Dictionary<string, string>());

    public static ApplyState Load(string root) =>
        StateFiles.Read(root, RelativePath) is { } content ? Parse(content, Path.Combine(root, RelativePath)) : Empty;

    /// <summary>The state in <paramref name="content"/>; <paramref name="path"/> names it in the refusal when it is not a valid state.</summary>
    public static ApplyState Parse(byte[] content, string path)
    {
        var (state, problem) = Read(content);
        return problem is null ? state! : throw Refusal(path, problem);
    }

    /// <summary>Why <paramref name="content"/> is not a valid state (e.g. "is not valid JSON (…)"), or null when it is.</summary>
    internal static string? ProblemOf(byte[] content) => Read(content).Problem;

    private static (ApplyState? State, string? Problem) Read(byte[] content)
    {
        ApplyState? state;
        try
        {
            state = JsonSerializer.Deserialize(content, StateJsonContext.Default.ApplyState);
        }
        catch (JsonException e)
        {
            return (null, $"is not valid JSON ({e.Message.ReplaceLineEndings(" ")})");
        }

        var problem = state?.Files is null || state.Variables is null ? "lacks its files or variables"
            : state.Files.FirstOrDefault(f => !ManagedPaths.IsFile(f)) is { } file ? $"names the file {Quote(file)}, which ucs-mail-config does not manage"
            : state.Variables.FirstOrDefault(v => !ManagedPaths.IsVariable(v.Key) || !ManagedPaths.IsValue(v.Value)) is { Key: { } name } ? $"names the UCR variable {Quote(name)} with a value ucs-mail-config does not set"
            : null;
        return (state, problem);
    }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, StateJsonContext.Default.ApplyState);

    /// <summary>A name from a file that may be hostile, quoted so that it cannot split the message.</summary>
    internal static string Quote(string text) => JsonSerializer.Serialize(text, StateJsonContext.Default.String);

    private static StateRefusedException Refusal(string path, string problem) =>
        new($"{path} {problem}; ucs-mail-config cannot tell which files and UCR variables it set, so it changed nothing: move the file away (the next apply then takes every file as new and leaves variables it set before in place) and run apply again");
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ApplyState))]
[JsonSerializable(typeof(ApplyJournal.Intent))]
[JsonSerializable(typeof(string))]
internal sealed partial class StateJsonContext : JsonSerializerContext;
