using System.Text;
using UcsMailConfig.Files;
using UcsMailConfig.Rendering;
using UcsMailConfig.Rendering.Derive;
using UcsMailConfig.Ucs.Layout;

namespace UcsMailConfig.Ucs;

/// <summary>
/// Checks a planned change with the real tools BEFORE anything live is touched: a copy of the
/// live main.cf with the change applied must pass <c>postconf -n</c> without a warning, and
/// every Postfix table must compile with <c>postmap</c>, and the new opendkim.conf with its
/// tables must pass <c>opendkim -n</c>. Works in a private
/// folder that it removes again. Returns the failing command, or null when all is well.
/// </summary>
internal static class StagingCheck
{
    public static CommandRecord? Run(RenderedTree tree, RenderModel model, string root, ToolPaths tools, CommandRunner runner)
    {
        var staging = Directory.CreateTempSubdirectory("ucs-mail-config-staging-").FullName;
        try
        {
            return CheckPostfix(model, root, staging, tools, runner)
                ?? CheckHashTables(tree, model, staging, tools, runner)
                ?? CheckOpenDkim(tree, staging, tools, runner);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    private static CommandRecord? CheckPostfix(RenderModel model, string root, string staging, ToolPaths tools, CommandRunner runner)
    {
        if (TrustedRead.Text(root, "etc/postfix/main.cf") is not { } live)
        {
            return null;
        }

        var mainCf = new MainCfText(live);
        var oldFragment = TrustedRead.Text(root, TemplateCatalog.OutputPath(TemplateCatalog.MainCfFragment));
        foreach (var name in oldFragment is null ? [] : MainCfText.Names(oldFragment))
        {
            mainCf.RemoveLast(name);
        }

        foreach (var variable in model.UcrVariables.Where(v => !StockMilterTemplate.IsMilterVariable(v.Name)))
        {
            mainCf.Set(variable.Parameter.Parameter, variable.Value.Text);
        }

        StageMilterLists(mainCf, model, UcrLayers.Read(root).Dump());

        foreach (var setting in model.MainCf.SelectMany(s => s.Settings))
        {
            mainCf.Append(setting.Name, setting.Value);
        }

        var directory = Path.Combine(staging, "postfix");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "main.cf"), mainCf.ToString());
        if (TrustedRead.Bytes(root, "etc/postfix/master.cf") is { } masterCf)
        {
            File.WriteAllBytes(Path.Combine(directory, "master.cf"), masterCf);
        }

        var postconf = runner.Run(tools.Postconf, "-c", directory, "-n");
        return postconf.Succeeded && postconf.StandardError.Length == 0 ? null : postconf;
    }

    /// <summary>
    /// What 70_milter will write once our milter variables change: every list that has one of
    /// ours, before or after, joined anew from the others' variables (kept) and ours. A list
    /// our fragment writes is left to it.
    /// </summary>
    private static void StageMilterLists(MainCfText mainCf, RenderModel model, IReadOnlyDictionary<string, string> registry)
    {
        var written = model.MainCf.SelectMany(s => s.Settings).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var parameter in StockMilterTemplate.Parameters.Where(p => !written.Contains(p)))
        {
            bool Feeds(string name) => StockMilterTemplate.ParameterOf(name) == parameter;
            var ours = model.UcrVariables.Where(v => Feeds(v.Name)).Select(v => KeyValuePair.Create(v.Name, v.Value.Text)).ToList();
            if (ours.Count == 0 && !registry.Keys.Any(n => Feeds(n) && StockMilterTemplate.IsOurs(n)))
            {
                continue;
            }

            var list = StockMilterTemplate.Joined(registry.Where(v => Feeds(v.Key) && !StockMilterTemplate.IsOurs(v.Key)).Concat(ours));
            if (list.Length > 0)
            {
                mainCf.Set(parameter, list);
            }
            else
            {
                mainCf.RemoveAll(parameter);
            }
        }
    }

    private static CommandRecord? CheckHashTables(RenderedTree tree, RenderModel model, string staging, ToolPaths tools, CommandRunner runner)
    {
        var tables = new List<string>();
        foreach (var (path, file) in tree.Files.Where(f => UcrTargets.For(f.Key) is { } t && model.HashTables.Contains(t)))
        {
            var target = Path.Combine(staging, UcrTargets.For(path)!.TrimStart('/'));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllText(target, Encoding.UTF8.GetString(file.Content).Replace(UcrTargets.HashWarning, "# staging copy", StringComparison.Ordinal));
            tables.Add(UcrTargets.For(path)!);
        }

        // CheckPostfix wrote the staged main.cf there, when the host has one.
        var configDirectory = Path.Combine(staging, "postfix");
        Directory.CreateDirectory(configDirectory);
        if (!File.Exists(Path.Combine(configDirectory, "main.cf")))
        {
            File.WriteAllText(Path.Combine(configDirectory, "main.cf"), "");
        }

        return Postmap.Run(tables, staging, configDirectory, tools, runner);
    }

    private static CommandRecord? CheckOpenDkim(RenderedTree tree, string staging, ToolPaths tools, CommandRunner runner)
    {
        var conf = TemplateCatalog.OutputPath(TemplateCatalog.OpenDkimConf);
        if (!tree.Files.ContainsKey(conf))
        {
            return null;
        }

        // UCR would write the templates to /etc; here they go below the staging folder, and
        // opendkim.conf names them there.
        var etc = Path.Combine(staging, "etc") + "/";
        foreach (var (path, file) in tree.Files.Where(f => UcrTargets.For(f.Key) is { } t && UcrTargets.IsOpenDkim(t)))
        {
            var target = Path.Combine(staging, UcrTargets.For(path)!.TrimStart('/'));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var text = Encoding.UTF8.GetString(file.Content).Replace(UcrTargets.HashWarning, "# staging copy", StringComparison.Ordinal);
            File.WriteAllText(target, path == conf ? text.Replace("/etc/opendkim/", etc + "opendkim/", StringComparison.Ordinal) : text);
        }

        var check = runner.Run(tools.OpenDkim, "-n", "-x", Path.Combine(staging, "etc/opendkim.conf"));
        return check.Succeeded ? null : check;
    }
}
