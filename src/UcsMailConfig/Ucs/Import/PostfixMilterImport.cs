// Contract: turns Postfix's effective milter lists (smtpd_milters, non_smtpd_milters), in their
// order, into the policy's milter chain — OpenDKIM's socket becomes the 'opendkim' entry — and
// takes milter_default_action and milter_protocol. A milter another package or an admin feeds
// through a UCR variable of UCS's 70_milter stays where it is (apply keeps such variables), so it
// is not taken twice. Lists whose orders contradict each other are left out, never guessed.
using UcsMailConfig.Policy.Model;
using UcsMailConfig.Policy.Values;
using UcsMailConfig.Rendering.Derive;
using UcsMailConfig.Ucs.Layout;

namespace UcsMailConfig.Ucs.Import;

internal sealed class PostfixMilterImport(string root, PolicyText text, UcrLayers layers, MainCfSources sources, List<LeftOut> leftOut, List<string> notes)
{
    private sealed record Item(string Socket, ImportSource Source, string? Name)
    {
        public bool Smtpd { get; set; }

        public bool NonSmtpd { get; set; }
    }

    public void Take(IReadOnlyDictionary<string, string> effective, MilterSocket? openDkim)
    {
        var smtpd = Items(StockMilterTemplate.SmtpdMilters, effective);
        var nonSmtpd = Items(StockMilterTemplate.NonSmtpdMilters, effective);
        if (smtpd is null || nonSmtpd is null || (smtpd.Count == 0 && nonSmtpd.Count == 0))
        {
            return;
        }

        if (Merge(smtpd, nonSmtpd) is not { } chain)
        {
            leftOut.Add(new LeftOut("milter order", sources.Of(StockMilterTemplate.NonSmtpdMilters), "smtpd_milters and non_smtpd_milters list the same milters in different orders; the policy has one chain"));
            return;
        }

        var entries = new List<(string Yaml, ImportSource Source)>();
        var others = 0;
        var hasOpenDkim = false;
        foreach (var item in chain)
        {
            if (MilterSocketSyntax.FromPostfix(item.Socket) is not { } socket)
            {
                leftOut.Add(new LeftOut($"milter {item.Socket}", item.Source, $"the policy's milter socket is {MilterSocket.Expectation}"));
                continue;
            }

            var isOpenDkim = socket == openDkim;
            hasOpenDkim |= isOpenDkim;
            var pairs = new List<(string, string)> { ("name", isOpenDkim ? MilterEntry.OpenDkimName : item.Name ?? $"milter{++others}") };
            if (!isOpenDkim)
            {
                pairs.Add(("socket", PolicyText.Str(MilterSocketSyntax.ForPolicy(socket))));
            }

            if (!(item.Smtpd && item.NonSmtpd))
            {
                pairs.Add(("applies_to", PolicyText.Flow([PolicySpelling.MilterStages.Of(item.Smtpd ? MilterStage.Smtpd : MilterStage.NonSmtpd)])));
            }

            entries.Add((PolicyText.Map(pairs), item.Source));
        }

        if (openDkim is not null && !hasOpenDkim)
        {
            leftOut.Add(new LeftOut($"OpenDKIM on {MilterSocketSyntax.ForPolicy(openDkim)}", new ImportSource(OpenDkimImport.ConfPath, 0, "OpenDKIM's configuration"),
                "neither milter list names OpenDKIM's socket, so Postfix does not use it; the policy always does"));
        }

        // OpenDKIM alone on both lists is the policy's default chain.
        if (!(entries.Count == 1 && hasOpenDkim && chain[0].Smtpd && chain[0].NonSmtpd))
        {
            foreach (var (yaml, source) in entries)
            {
                text.Add(["postfix", "milters", "chain"], yaml, source);
            }
        }

        var action = effective.GetValueOrDefault("milter_default_action", "");
        if (PolicySpelling.MilterActions.Parse(action) is { } parsed)
        {
            text.Set(["postfix", "milters", "default_action"], PolicySpelling.MilterActions.Of(parsed), sources.Of("milter_default_action"));
        }
        else
        {
            leftOut.Add(new LeftOut($"milter_default_action = {action}", sources.Of("milter_default_action"), $"the policy offers {string.Join(", ", PolicySpelling.MilterActions.Texts)}"));
        }

        var protocol = effective.GetValueOrDefault("milter_protocol", "");
        if (int.TryParse(protocol, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version) && version is >= 2 and <= 6)
        {
            text.Set(["postfix", "milters", "protocol"], protocol, sources.Of("milter_protocol"));
        }
        else
        {
            leftOut.Add(new LeftOut($"milter_protocol = {protocol}", sources.Of("milter_protocol"), "the policy's protocol is 2 to 6"));
        }
    }

    /// <summary>A list's milters with their sources, without those a foreign UCR variable feeds (apply keeps those).</summary>
    private List<Item>? Items(string parameter, IReadOnlyDictionary<string, string> effective)
    {
        var variables = layers.Dump().Where(v => StockMilterTemplate.ParameterOf(v.Key) == parameter).ToList();
        var writes = MilterHost.Template(root).Writes(parameter);
        var items = new List<Item>();
        foreach (var socket in new ListValue(effective.GetValueOrDefault(parameter, "")).Items)
        {
            var variable = writes ? variables.FirstOrDefault(v => v.Value == socket).Key : null;
            if (variable is not null && !StockMilterTemplate.IsOurs(variable))
            {
                notes.Add($"{parameter}: {socket} comes from the UCR variable {variable}, which apply keeps; the policy does not list it again");
                continue;
            }

            var source = variable is null ? sources.Of(parameter) : sources.Variable(variable, sources.Of(parameter));
            // Ours are PREFIX/50_ucs-mail-config_NN_NAME (StockMilterTemplate.OurVariable): the name follows the number.
            var ours = variable?[(variable.IndexOf("_ucs-mail-config_", StringComparison.Ordinal) + "_ucs-mail-config_".Length)..];
            var name = ours?[(ours.IndexOf('_', StringComparison.Ordinal) + 1)..];
            items.Add(new Item(socket, source, name is not null && Identifiers.IsMilterName(name) && name != MilterEntry.OpenDkimName ? name : null)
            {
                Smtpd = parameter == StockMilterTemplate.SmtpdMilters,
                NonSmtpd = parameter == StockMilterTemplate.NonSmtpdMilters,
            });
        }

        return items;
    }

    /// <summary>One chain in which both lists keep their order; null when they contradict each other.</summary>
    private static List<Item>? Merge(List<Item> smtpd, List<Item> nonSmtpd)
    {
        var chain = new List<Item>();
        var (i, j) = (0, 0);
        while (i < smtpd.Count || j < nonSmtpd.Count)
        {
            if (i < smtpd.Count && j < nonSmtpd.Count && smtpd[i].Socket == nonSmtpd[j].Socket)
            {
                smtpd[i].NonSmtpd = true;
                chain.Add(smtpd[i]);
                (i, j) = (i + 1, j + 1);
            }
            else if (i < smtpd.Count && !nonSmtpd.Skip(j).Any(n => n.Socket == smtpd[i].Socket))
            {
                chain.Add(smtpd[i++]);
            }
            else if (j < nonSmtpd.Count && !smtpd.Skip(i).Any(s => s.Socket == nonSmtpd[j].Socket))
            {
                chain.Add(nonSmtpd[j++]);
            }
            else
            {
                return null;
            }
        }

        return chain;
    }
}
