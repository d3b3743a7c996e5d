using System.Text;
using System.Text.Json;
using UcsMailConfig.Diagnostics;

namespace UcsMailConfig.Policy.Validate;

/// <summary>
/// Writes <see cref="PolicySchema.Root"/> as a JSON Schema (draft-07, what editors' YAML
/// plug-ins read). Generated, never hand-edited: a test keeps the committed copy current.
/// </summary>
public static class JsonSchemaWriter
{
    public const string SchemaId = "https://ucs-mail-config.invalid/mail-policy.schema.json";

    public static string Write()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("$schema", "http://json-schema.org/draft-07/schema#");
            json.WriteString("$id", SchemaId);
            json.WriteString("title", "mail-policy.yaml");
            WriteBody(json, PolicySchema.Root, null);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }

    private static void WriteShape(Utf8JsonWriter json, Shape shape, PropertyDefault? defaultValue)
    {
        json.WriteStartObject();
        WriteBody(json, shape, defaultValue);
        json.WriteEndObject();
    }

    private static void WriteBody(Utf8JsonWriter json, Shape shape, PropertyDefault? defaultValue)
    {
        json.WriteString("description", defaultValue is null ? shape.Description : $"{shape.Description} Default: {defaultValue.Text}.");
        if (defaultValue?.Json is { } value)
        {
            WriteDefault(json, value);
        }

        switch (shape)
        {
            case ObjectShape obj:
                json.WriteString("type", "object");
                json.WriteBoolean("additionalProperties", false);
                if (obj.Properties.Any(p => p.Required))
                {
                    json.WriteStartArray("required");
                    foreach (var property in obj.Properties.Where(p => p.Required))
                    {
                        json.WriteStringValue(property.Name);
                    }

                    json.WriteEndArray();
                }

                json.WriteStartObject("properties");
                foreach (var property in obj.Properties)
                {
                    json.WritePropertyName(property.Name);
                    WriteShape(json, property.Shape, property.Default);
                }

                json.WriteEndObject();
                break;
            case MapShape map:
                json.WriteString("type", "object");
                json.WritePropertyName("propertyNames");
                WriteShape(json, map.Key, null);
                json.WritePropertyName("additionalProperties");
                WriteShape(json, map.Value, null);
                break;
            case ListShape list:
                json.WriteString("type", "array");
                json.WriteBoolean("uniqueItems", list.UniqueItems);
                json.WritePropertyName("items");
                WriteShape(json, list.Item, null);
                break;
            case ScalarShape { Kind: var kind }:
                WriteScalar(json, kind);
                break;
        }
    }

    private static void WriteDefault(Utf8JsonWriter json, object value)
    {
        switch (value)
        {
            case bool flag:
                json.WriteBoolean("default", flag);
                break;
            case int number:
                json.WriteNumber("default", number);
                break;
            case string text:
                json.WriteString("default", text);
                break;
            case IEnumerable<string> items:
                json.WriteStartArray("default");
                foreach (var item in items)
                {
                    json.WriteStringValue(item);
                }

                json.WriteEndArray();
                break;
        }
    }

    private static void WriteScalar(Utf8JsonWriter json, ScalarKind kind)
    {
        switch (kind)
        {
            case BooleanKind:
                json.WriteString("type", "boolean");
                break;
            case IntegerKind range:
                json.WriteString("type", "integer");
                json.WriteNumber("minimum", range.Minimum);
                json.WriteNumber("maximum", range.Maximum);
                break;
            case ChoiceKind choice:
                json.WriteString("type", "string");
                json.WriteStartArray("enum");
                foreach (var value in choice.Choices)
                {
                    json.WriteStringValue(value);
                }

                json.WriteEndArray();
                break;
            case FormattedKind { Format: var format }:
                if (format.MayLookNumeric)
                {
                    json.WriteStartArray("type");
                    json.WriteStringValue("string");
                    json.WriteStringValue("integer");
                    json.WriteEndArray();
                }
                else
                {
                    json.WriteString("type", "string");
                }

                if (format.JsonPattern is not null)
                {
                    json.WriteString("pattern", format.JsonPattern);
                }

                json.WriteString("x-format", format.Name);
                json.WriteString("x-valid", format.Expectation);
                break;
            case TextKind:
                // YAML reads 10240000 and yes as a number and a boolean; main.cf takes them as text.
                json.WriteStartArray("type");
                json.WriteStringValue("string");
                json.WriteStringValue("number");
                json.WriteStringValue("boolean");
                json.WriteEndArray();
                break;
        }
    }
}
