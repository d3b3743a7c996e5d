using System.Text.Json;
using UcsMailConfig.Policy.Validate;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Policy;

/// <summary>The committed JSON Schema is the generated one, and the examples point editors at it.</summary>
public sealed class JsonSchemaTests
{
    private static readonly string Committed = Path.Combine(RepoPaths.Templates, "mail-policy.schema.json");

    [Fact]
    public void Committed_schema_is_current()
    {
        if (GoldenAccept.IsRequested())
        {
            File.WriteAllText(Committed, JsonSchemaWriter.Write());
        }

        Assert.True(File.ReadAllText(Committed) == JsonSchemaWriter.Write(),
            "templates/mail-policy.schema.json is stale: run 'dotnet run --project src/UcsMailConfig.Cli -- schema > templates/mail-policy.schema.json' (or UCSMAIL_ACCEPT=1 dotnet test)");
    }

    [Fact]
    public void Every_example_names_the_schema_on_its_first_line()
    {
        foreach (var policy in Directory.GetFiles(RepoPaths.Examples, "mail-policy.yaml", SearchOption.AllDirectories))
        {
            var first = File.ReadLines(policy).First();
            Assert.StartsWith("# yaml-language-server: $schema=", first, StringComparison.Ordinal);
            var target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(policy)!, first["# yaml-language-server: $schema=".Length..]));
            Assert.Equal(Committed, target);
        }
    }

    [Fact]
    public void Schema_lists_every_key_of_the_format_and_forbids_others()
    {
        using var schema = JsonDocument.Parse(JsonSchemaWriter.Write());
        var root = schema.RootElement;
        Assert.False(root.GetProperty("additionalProperties").GetBoolean());
        var queue = root.GetProperty("properties").GetProperty("postfix").GetProperty("properties").GetProperty("queue");
        var lifetime = queue.GetProperty("properties").GetProperty("maximal_lifetime");
        Assert.Equal("^(0+|[0-9]+[smhdw])$", lifetime.GetProperty("pattern").GetString());
        var action = root.GetProperty("properties").GetProperty("postfix").GetProperty("properties").GetProperty("milters")
            .GetProperty("properties").GetProperty("default_action");
        Assert.Equal(["accept", "reject", "tempfail", "quarantine"], action.GetProperty("enum").EnumerateArray().Select(e => e.GetString()!));
        Assert.Contains("Default: accept.", action.GetProperty("description").GetString(), StringComparison.Ordinal);
    }
}
