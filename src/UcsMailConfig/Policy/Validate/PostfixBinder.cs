using System.Collections.Immutable;
using UcsMailConfig.Diagnostics;
using UcsMailConfig.Policy.Model;
using UcsMailConfig.Policy.Load;
using UcsMailConfig.Policy.Values;
using UcsMailConfig.Ucs.Layout;

namespace UcsMailConfig.Policy.Validate;

/// <summary>
/// Binds the postfix section: queue lifetimes, the milter chain (OpenDKIM's place in it) and the
/// escape-hatch parameters. Contract as <see cref="PolicyBinder"/>'s: reports each problem once, never throws.
/// </summary>
internal sealed class PostfixBinder(DiagnosticBag diagnostics)
{
    public QueuePolicy BindQueue(YamlMapping? queue)
    {
        var maximal = PolicyNodes.Duration(queue, "maximal_lifetime");
        var bounce = PolicyNodes.Duration(queue, "bounce_lifetime");
        if (maximal is { Seconds: 0 })
        {
            diagnostics.Warning(DiagnosticCode.OneDeliveryAttempt, queue!.Find("maximal_lifetime")!.Value.Start,
                "postfix.queue.maximal_lifetime 0 makes Postfix try each message once and bounce it at the first temporary failure; write a duration such as 1h unless that is meant");
        }

        if (maximal is not null && bounce is not null && bounce.Seconds > maximal.Seconds)
        {
            diagnostics.Warning(DiagnosticCode.BounceLongerThanQueue, queue!.Find("bounce_lifetime")!.Key.Start,
                $"postfix.queue.bounce_lifetime ({bounce}) is longer than maximal_lifetime ({maximal}); Postfix caps it at maximal_lifetime");
        }

        return new QueuePolicy(maximal, bounce, PolicyNodes.Duration(queue, "delay_warning"));
    }

    public MilterPolicy BindMilters(YamlMapping? milters, DkimPolicy dkim)
    {
        var chain = new List<MilterEntry>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var sockets = new Dictionary<MilterSocket, string>();
        if (dkim.Enabled)
        {
            sockets[dkim.Socket] = MilterEntry.OpenDkimName;
        }

        foreach (var item in PolicyNodes.Items(milters?["chain"]).OfType<YamlMapping>())
        {
            var name = PolicyNodes.Scalar(item, "name");
            if (name is null || !Identifiers.IsMilterName(name))
            {
                continue;
            }

            var at = item.Find("name")!.Value.Start;
            if (!names.Add(name))
            {
                diagnostics.Error(DiagnosticCode.DuplicateMilter, at, $"milter '{name}' is listed twice in postfix.milters.chain; list each milter once");
                continue;
            }

            var appliesTo = item["applies_to"] is null
                ? [.. PolicyDefaults.MilterStages]
                : PolicyNodes.Items(item["applies_to"]).OfType<YamlScalar>().Select(s => PolicySpelling.MilterStages.Parse(s.Value)).OfType<MilterStage>().ToList();
            if (item["applies_to"] is YamlSequence { Items.Count: 0 } empty)
            {
                diagnostics.Error(DiagnosticCode.MilterWithoutStage, empty.Start,
                    $"milter '{name}' applies_to is empty, so it would never run; list smtpd and/or non_smtpd, or remove the milter");
            }

            var socketText = PolicyNodes.Scalar(item, "socket");
            if (name == MilterEntry.OpenDkimName)
            {
                if (socketText is not null)
                {
                    diagnostics.Error(DiagnosticCode.OpenDkimMilterMisplaced, item.Find("socket")!.Key.Start,
                        "the 'opendkim' entry takes its socket from dkim.socket; remove 'socket' here so the two cannot differ");
                }
                else if (!dkim.Enabled)
                {
                    diagnostics.Error(DiagnosticCode.OpenDkimMilterMisplaced, at,
                        "the chain names 'opendkim' but DKIM is not enabled; enable dkim or remove this entry");
                }
                else
                {
                    chain.Add(new MilterEntry(name, null, appliesTo.Contains(MilterStage.Smtpd), appliesTo.Contains(MilterStage.NonSmtpd)));
                }

                continue;
            }

            if (socketText is null)
            {
                if (item["socket"] is null)
                {
                    diagnostics.Error(DiagnosticCode.MissingKey, item.Start, $"milter '{name}' needs a 'socket': {MilterSocket.Expectation}");
                }

                continue;
            }

            var socketAt = item.Find("socket")!.Value.Start;
            if (SocketRules.Parse(diagnostics, socketText, socketAt, $"postfix.milters.chain '{name}'") is not { } socket)
            {
                continue;
            }

            SocketRules.CheckChroot(diagnostics, socket, socketAt, $"postfix.milters.chain '{name}'");
            SocketRules.CheckNotExpanded(diagnostics, socket, socketAt, $"postfix.milters.chain '{name}'", "the milter");
            if (sockets.TryGetValue(socket, out var other))
            {
                diagnostics.Error(DiagnosticCode.DuplicateMilter, socketAt,
                    $"milter '{name}' uses the same socket as '{other}'; each milter needs its own socket");
            }
            else
            {
                sockets[socket] = name;
            }

            chain.Add(new MilterEntry(name, socket, appliesTo.Contains(MilterStage.Smtpd), appliesTo.Contains(MilterStage.NonSmtpd)));
        }

        if (dkim.Enabled && !chain.Any(m => m.IsOpenDkim))
        {
            chain.Add(new MilterEntry(MilterEntry.OpenDkimName, null, Smtpd: true, NonSmtpd: true));
        }

        if (chain.Count == 0 && milters is not null)
        {
            foreach (var key in new[] { "default_action", "protocol" }.Select(k => milters.Find(k)).OfType<YamlEntry>())
            {
                diagnostics.Warning(DiagnosticCode.MilterSettingsWithoutMilters, key.Key.Start,
                    $"postfix.milters.{key.Key.Value} has no effect: no milter is configured (DKIM is off and the chain is empty)");
            }
        }

        var protocol = PolicyNodes.Scalar(milters, "protocol") is { } text && ScalarValues.TryInteger(text, out var p) ? p : PolicyDefaults.MilterProtocol;
        return new MilterPolicy(PolicyNodes.Choice(milters, "default_action", PolicySpelling.MilterActions) ?? PolicyDefaults.MilterDefaultAction, protocol, [.. chain]);
    }

    public ImmutableArray<PostfixParameter> BindParameters(YamlMapping? parameters, TlsPolicy tls)
    {
        var result = new List<PostfixParameter>();
        foreach (var entry in parameters?.Entries ?? [])
        {
            var name = entry.Key.Value;
            if (!Identifiers.IsParameterName(name) || entry.Value is not YamlScalar { IsNull: false } value)
            {
                continue;
            }

            var stock = StockUcsParameters.Find(name);
            if (StockUcsParameters.MilterParameters.Contains(name))
            {
                diagnostics.Error(DiagnosticCode.ParameterOwnedByPolicy, entry.Key.Start,
                    $"postfix.parameters.{name} is written from postfix.milters and dkim; set it there instead");
            }
            else if (name == StockUcsParameters.InboundTlsLevel)
            {
                diagnostics.Error(DiagnosticCode.ParameterOwnedByPolicy, entry.Key.Start,
                    $"postfix.parameters.{name} has its own policy key; use tls.inbound.level instead");
            }
            else if (name == StockUcsParameters.DnsSupportLevel && tls.UsesDane)
            {
                diagnostics.Error(DiagnosticCode.ParameterOwnedByPolicy, entry.Key.Start,
                    $"postfix.parameters.{name} is written as 'dnssec' because the tls section uses dane, which needs DNSSEC answers; remove it here");
            }
            else if (stock is { UcrVariable: null })
            {
                diagnostics.Error(DiagnosticCode.ParameterManagedByUcs, entry.Key.Start,
                    $"postfix.parameters.{name} cannot be set by the policy: {stock.Hint}");
            }
            else if (stock is { PolicyKey: not null })
            {
                diagnostics.Error(DiagnosticCode.ParameterOwnedByPolicy, entry.Key.Start,
                    $"postfix.parameters.{name} has its own policy key; use {stock.PolicyKey} instead (it sets the UCR variable {stock.UcrVariable})");
            }
            else
            {
                result.Add(new PostfixParameter(name, value.Value));
            }
        }

        return [.. result.OrderBy(p => p.Name, StringComparer.Ordinal)];
    }
}
