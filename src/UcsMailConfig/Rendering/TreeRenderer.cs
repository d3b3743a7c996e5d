using System.Collections.Immutable;
using Scriban;
using Scriban.Runtime;
using UcsMailConfig.Rendering.Derive;

namespace UcsMailConfig.Rendering;

/// <summary>
/// Render: prints a <see cref="RenderModel"/> through the Scriban templates. Strict: an unknown
/// variable or member fails, so a template typo fails the tests. User values are only ever
/// printed, never evaluated: templates see only the built-in functions they use (see
/// <see cref="TemplateFunctions"/>), so <c>object.eval</c> and <c>object.eval_template</c> do not exist.
/// Output is LF-only UTF-8 without a BOM.
/// </summary>
internal static class TreeRenderer
{
    private static readonly UnixFileMode ReadableFile =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private static readonly ConcurrentTemplates Parsed = new();

    /// <summary>About 100 domains: from here on, rendering on all cores pays off.</summary>
    private const int ParallelFromRecords = 200;

    public static RenderedTree Render(RenderModel model)
    {
        var globals = ScriptGlobals.From(model);
        var builtins = TemplateFunctions.Builtins();
        var names = model.Templates;
        var contents = new byte[names.Length][];

        void RenderOne(int i)
        {
            using var output = new Utf8Output();
            var context = Context(builtins, globals);
            context.PushOutput(output);
            Parsed.Get(names[i]).Render(context);
            contents[i] = output.ToArray();
        }

        // Templates are independent, and the big tables of a large policy (KeyTable,
        // SigningTable, the DNS forms) take about the same time each: one per core. For a
        // small policy, starting the thread pool costs more (a third of a one-domain render).
        if (model.DnsRecords.Length >= ParallelFromRecords)
        {
            Parallel.For(0, names.Length, RenderOne);
        }
        else
        {
            for (var i = 0; i < names.Length; i++)
            {
                RenderOne(i);
            }
        }

        var files = ImmutableSortedDictionary.CreateBuilder<string, RenderedFile>(StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            var path = TemplateCatalog.OutputPath(names[i]);
            files.Add(path, new RenderedFile(path, contents[i], ReadableFile));
        }

        return new RenderedTree(files.ToImmutable());
    }

    /// <summary>The text of one template for the given globals (the dns command prints the DNS forms this way).</summary>
    internal static string RenderText(string template, ScriptObject globals) =>
        Parsed.Get(template).Render(Context(TemplateFunctions.Builtins(), globals));

    private static TemplateContext Context(ScriptObject builtins, ScriptObject globals)
    {
        var context = new TemplateContext(builtins)
        {
            StrictVariables = true,
            EnableRelaxedMemberAccess = false,
            LoopLimit = int.MaxValue,
            // Scriban's default cuts output after 1 MiB with "...": a KeyTable of about 8,600
            // domains. Our templates' output has no limit; any limit that remains throws.
            OutputLimit = 0,
            OnOutputLimit = ScriptLimitBehavior.Throw,
            OnStringLimit = ScriptLimitBehavior.Throw,
            NewLine = "\n",
        };
        context.PushGlobal(globals);
        return context;
    }

    /// <summary>Templates are parsed once per process; parsing fails loudly with the template's name and position.</summary>
    private sealed class ConcurrentTemplates
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Template> _cache = new(StringComparer.Ordinal);

        public Template Get(string name) => _cache.GetOrAdd(name, static n =>
        {
            // LF line ends in, LF line ends out: user values hold no line breaks (ValueSafety).
            var template = Template.Parse(TemplateCatalog.Source(n).Replace("\r\n", "\n", StringComparison.Ordinal), $"templates/{n}.sbn");
            return template.HasErrors
                ? throw new InvalidOperationException($"template error: {string.Join("; ", template.Messages)}")
                : template;
        });
    }
}
