using UcsMailConfig.Diagnostics;
using UcsMailConfig.Rendering;
using UcsMailConfig.Tests.Support;
using UcsMailConfig.Ucs.Layout;

namespace UcsMailConfig.Tests.Golden;

/// <summary>
/// Each rendered UCR template agrees with our .info registration: a whole-file template has a
/// <c>Type: file</c> stanza whose Mode is the template's own mode (root-owned), a fragment in a
/// <c>.d/</c> folder has a <c>Type: subfile</c> stanza, and no stanza names a template we did not render.
/// A policy that renders no template (only UCR variables) renders no registration either.
/// </summary>
public sealed class RegistrationModeTests
{
    private const string FilesPrefix = UcrTargets.FilesDirectory;

    [Theory]
    [MemberData(nameof(GoldenExamplesTests.Examples), MemberType = typeof(GoldenExamplesTests))]
    public void Every_template_is_registered_with_its_mode(string example)
    {
        var tree = GoldenExamplesTests.Render(Path.Combine(RepoPaths.Examples, example, "mail-policy.yaml"));
        var templates = tree.Files.Values.Where(f => f.Path.StartsWith(FilesPrefix, StringComparison.Ordinal)).ToList();
        if (!tree.Files.TryGetValue(TemplateCatalog.OutputPath(TemplateCatalog.Info), out var info))
        {
            Assert.Empty(templates);
            return;
        }

        var stanzas = Stanzas(System.Text.Encoding.UTF8.GetString(info.Content));

        foreach (var template in templates)
        {
            var ucrPath = template.Path[FilesPrefix.Length..];
            if (Path.GetDirectoryName(ucrPath)!.EndsWith(".d", StringComparison.Ordinal))
            {
                Assert.Contains(stanzas, s => s.Get("Type") == "subfile" && s.Get("Subfile") == ucrPath);
                continue;
            }

            var stanza = Assert.Single(stanzas, s => s.Get("Type") == "file" && s.Get("File") == ucrPath);
            Assert.Equal("root", stanza.Get("User"));
            Assert.Equal("root", stanza.Get("Group"));
            Assert.Equal(Convert.ToString((int)template.Mode, 8).PadLeft(4, '0'), stanza.Get("Mode"));
        }

        var rendered = templates.Select(t => t.Path[FilesPrefix.Length..]).ToHashSet(StringComparer.Ordinal);
        Assert.All(stanzas.Where(s => s.Get("Type") == "file"), s => Assert.Contains(s.Get("File")!, rendered));
    }

    private sealed record Stanza(IReadOnlyList<(string Key, string Value)> Lines)
    {
        public string? Get(string key) => Lines.SingleOrDefault(l => l.Key == key).Value;
    }

    private static List<Stanza> Stanzas(string info) =>
        [.. info.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(block => new Stanza([.. block.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(": ", 2))
                .Select(parts => (parts[0], parts[1]))]))];
}
