using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace UcsMailConfig.Diagnostics;

/// <summary>
/// The one owner of how the tool writes JSON for people and scripts (<c>apply --json</c>,
/// <c>status --json</c>, <c>dns --format json</c>, <c>import --json</c>): with source-generated
/// type info (NativeAOT-clean) and an encoder that leaves <c>+ &lt; &gt; &amp; '</c> as they are.
/// System.Text.Json's default escapes those for JSON pasted into an HTML page; ours goes to a
/// JSON parser or a terminal, where <c>\u002B</c> only hides a DKIM key's <c>+</c>. Quotes,
/// backslashes and control characters (ESC included, so no output can move a terminal's
/// cursor) are still escaped, as JSON requires; other text is written as UTF-8, JSON's encoding.
/// </summary>
public static class JsonOutput
{
    /// <summary>The encoder every JSON output of the tool uses.</summary>
    public static JavaScriptEncoder Encoder => JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary><paramref name="value"/> as JSON text, indented with two spaces when asked.</summary>
    public static string Write<T>(T value, JsonTypeInfo<T> type, bool indented = false)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Encoder, Indented = indented }))
        {
            JsonSerializer.Serialize(writer, value, type);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
