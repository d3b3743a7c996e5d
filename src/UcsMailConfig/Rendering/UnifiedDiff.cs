using System.Text;
using DiffPlex;

namespace UcsMailConfig.Rendering;

/// <summary>
/// A unified diff (as <c>diff -u</c> prints it) between two texts, with three lines of
/// context. Empty when the texts are equal. Used wherever a change is shown to a person:
/// golden-file mismatches and the plan of an apply.
/// </summary>
public static class UnifiedDiff
{
    private const int Context = 3;

    public static string Create(string oldText, string newText, string oldLabel, string newLabel)
    {
        if (oldText == newText)
        {
            return "";
        }

        var result = Differ.Instance.CreateLineDiffs(oldText, newText, ignoreWhitespace: false, ignoreCase: false);
        var oldLines = result.PiecesOld;
        var newLines = result.PiecesNew;
        var output = new StringBuilder();
        output.Append("--- ").Append(oldLabel).Append('\n');
        output.Append("+++ ").Append(newLabel).Append('\n');

        var blocks = result.DiffBlocks;
        var i = 0;
        while (i < blocks.Count)
        {
            // Blocks closer than twice the context share one hunk.
            var last = i;
            while (last + 1 < blocks.Count
                   && blocks[last + 1].DeleteStartA - (blocks[last].DeleteStartA + blocks[last].DeleteCountA) <= 2 * Context)
            {
                last++;
            }

            var oldStart = Math.Max(0, blocks[i].DeleteStartA - Context);
            var newStart = Math.Max(0, blocks[i].InsertStartB - Context);
            var oldEnd = Math.Min(oldLines.Count, blocks[last].DeleteStartA + blocks[last].DeleteCountA + Context);
            var newEnd = Math.Min(newLines.Count, blocks[last].InsertStartB + blocks[last].InsertCountB + Context);
            output.Append($"@@ -{Range(oldStart, oldEnd - oldStart)} +{Range(newStart, newEnd - newStart)} @@\n");

            var a = oldStart;
            for (var b = i; b <= last; b++)
            {
                var block = blocks[b];
                for (; a < block.DeleteStartA; a++)
                {
                    output.Append(' ').Append(oldLines[a]).Append('\n');
                }

                for (var d = 0; d < block.DeleteCountA; d++)
                {
                    output.Append('-').Append(oldLines[block.DeleteStartA + d]).Append('\n');
                }

                for (var n = 0; n < block.InsertCountB; n++)
                {
                    output.Append('+').Append(newLines[block.InsertStartB + n]).Append('\n');
                }

                a = block.DeleteStartA + block.DeleteCountA;
            }

            for (; a < oldEnd; a++)
            {
                output.Append(' ').Append(oldLines[a]).Append('\n');
            }

            i = last + 1;
        }

        return output.ToString();
    }

    private static string Range(int start, int count) => count == 0 ? $"{start},0" : $"{start + 1},{count}";
}
