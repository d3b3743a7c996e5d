using UcsMailConfig.Diagnostics;
using UcsMailConfig.Policy.Load;
using UcsMailConfig.Policy.Model;
using UcsMailConfig.Policy.Values;

namespace UcsMailConfig.Policy.Validate;

/// <summary>
/// Builds the typed <see cref="MailPolicy"/> from a tree that <see cref="ShapeChecker"/> has
/// seen, applies defaults, and checks the rules that relate values to each other, one binder per
/// section. Contract: tolerant of the shape errors already reported (a value that does not parse
/// is skipped, never reported twice), never throws on bad input. The sections are bound in a
/// fixed order (the key folder, domains, dkim, tls, postfix, webapp), which is the order of the messages.
/// </summary>
internal sealed class PolicyBinder(DiagnosticBag diagnostics)
{
    public MailPolicy Bind(YamlMapping root)
    {
        var postfix = root["postfix"] as YamlMapping;
        var dkimNode = root["dkim"] as YamlMapping;
        var dkimBinder = new DkimBinder(diagnostics);
        var keyFolder = dkimBinder.BindKeyFolder(dkimNode);
        var domains = new DomainBinder(diagnostics).Bind(root["domains"] as YamlMapping, keyFolder);
        var dkim = dkimBinder.Bind(dkimNode, domains, root["dkim"]?.Start ?? root.Start) with { KeyFolder = keyFolder ?? KeyFolder.Default };
        var parametersNode = postfix?["parameters"] as YamlMapping;
        var tls = new TlsBinder(diagnostics).Bind(root["tls"] as YamlMapping, parametersNode);
        var postfixBinder = new PostfixBinder(diagnostics);
        return new MailPolicy(
            new PostfixPolicy(
                postfixBinder.BindQueue(postfix?["queue"] as YamlMapping),
                postfixBinder.BindMilters(postfix?["milters"] as YamlMapping, dkim),
                postfixBinder.BindParameters(parametersNode, tls)),
            dkim,
            domains,
            tls,
            SmimeBinder.Bind((root["webapp"] as YamlMapping)?["smime"] as YamlMapping));
    }
}
