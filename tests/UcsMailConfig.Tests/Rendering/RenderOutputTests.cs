using System.Text;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;
using UcsMailConfig.Rendering;

namespace UcsMailConfig.Tests.Rendering;

/// <summary>
/// The two pieces render is built on: the UTF-8 output (characters gathered and encoded in
/// blocks, so a character pair may straddle a block) and read-only rows (a template cannot
/// read a member a row does not have, nor write one).
/// </summary>
public sealed class RenderOutputTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4093)]
    public void Output_is_the_UTF8_of_everything_written_whatever_the_write_sizes(int pieceLength)
    {
        // Astral characters (two UTF-16 units), two- and three-byte ones, and ASCII, well past
        // the character block (16 K) and the byte chunk (64 K), written in pieces of odd sizes.
        var text = string.Concat(Enumerable.Repeat("😀é€ b\n", 40_000)); // 7 units: block ends fall inside the pair too
        using var output = new Utf8Output();
        for (var at = 0; at < text.Length; at += pieceLength)
        {
            output.Write(text, at, Math.Min(pieceLength, text.Length - at));
        }

        Assert.Equal(Encoding.UTF8.GetBytes(text), output.ToArray());
    }

    [Theory]
    [InlineData("{{ row.nope }}")]
    [InlineData("{{ row.name = 'x' }}")]
    public void A_row_has_only_its_members_and_they_are_read_only(string template)
    {
        var row = new ScriptRow<string>("value", [new("name", r => r)]);
        var context = new TemplateContext { StrictVariables = true, EnableRelaxedMemberAccess = false };
        context.PushGlobal(new ScriptObject { ["row"] = row });

        Assert.Equal("value", Template.Parse("{{ row.name }}").Render(context));
        Assert.ThrowsAny<ScriptRuntimeException>(() => Template.Parse(template).Render(context));
    }
}
