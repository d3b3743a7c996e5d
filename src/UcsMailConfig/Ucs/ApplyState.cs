using System.Text.Json;
using System.Text.Json.Serialization;

namespace UcsMailConfig.Ucs;

/// <summary>
/// What the last successful apply left on the host: the files we own (so a file the policy
/// no longer renders is removed) and the UCR variables we set (so a dropped setting is
/// unset). Stored as var/lib/ucs-mail-config/state.json below the root.
/// </summary>
public sealed record ApplyState(IReadOnlyList<string> Files, IReadOnlyDictionary<string, string> Variables)
{
    public const string RelativePath = "var/lib/ucs-mail-config/state.json";

    public static readonly ApplyState Empty = new([], new Dictionary<string, string>());

    public static ApplyState Load(string root)
    {
        var path = Path.Combine(root, RelativePath);
        return File.Exists(path)
            ? JsonSerializer.Deserialize(File.ReadAllBytes(path), StateJsonContext.Default.ApplyState) ?? Empty
            : Empty;
    }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, StateJsonContext.Default.ApplyState);
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ApplyState))]
[JsonSerializable(typeof(ApplyJournal.Intent))]
internal sealed partial class StateJsonContext : JsonSerializerContext;
