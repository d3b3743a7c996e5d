using System.Text;

namespace UcsMailConfig.Tests.MailFlow;

/// <summary>
/// The mail-policy.yaml under test: the project's defaults, one domain (example.com) signed
/// with one active selector at its default key path, OpenDKIM on a TCP socket, plus only
/// what a test names: a UNIX socket, queue lifetimes, a canonicalization, further main.cf
/// parameters, or no DKIM at all.
/// </summary>
public sealed record TestPolicy
{
    public const string Domain = "example.com";
    public const string Selector = "mailflow";

    public bool Dkim { get; init; } = true;

    /// <summary>OpenDKIM's UNIX socket as the policy names it; null: TCP on localhost and the port given to <see cref="Yaml"/>.</summary>
    public string? UnixSocket { get; init; }

    public string? QueueLifetime { get; init; }

    public string? Canonicalization { get; init; }

    public IReadOnlyDictionary<string, string> PostfixParameters { get; init; } = new Dictionary<string, string>();

    /// <summary>example.com's selectors and their states (active, pending, retired); null: <see cref="Selector"/> alone, active.</summary>
    public IReadOnlyList<(string Name, string State)>? Selectors { get; init; }

    /// <summary>postfix.milters.default_action; null: the project's default.</summary>
    public string? MilterDefaultAction { get; init; }

    public string Yaml(int dkimPort)
    {
        var yaml = new StringBuilder("version: 1\n");
        if (QueueLifetime is not null || PostfixParameters.Count > 0 || MilterDefaultAction is not null)
        {
            yaml.Append("postfix:\n");
        }

        if (QueueLifetime is not null)
        {
            yaml.Append($"  queue:\n    maximal_lifetime: {QueueLifetime}\n    bounce_lifetime: {QueueLifetime}\n");
        }

        if (MilterDefaultAction is not null)
        {
            yaml.Append($"  milters:\n    default_action: {MilterDefaultAction}\n");
        }

        if (PostfixParameters.Count > 0)
        {
            yaml.Append("  parameters:\n");
            foreach (var (name, value) in PostfixParameters)
            {
                yaml.Append($"    {name}: \"{value}\"\n");
            }
        }

        if (Dkim)
        {
            yaml.Append($"dkim:\n  socket: {UnixSocket ?? $"localhost:{dkimPort}"}\n");
            if (Canonicalization is not null)
            {
                yaml.Append($"  canonicalization: {Canonicalization}\n");
            }

            yaml.Append($"domains:\n  {Domain}:\n    dkim:\n      selectors:\n");
            foreach (var (name, state) in Selectors ?? [(Selector, "active")])
            {
                yaml.Append($"        \"{name}\": {{state: {state}}}\n");
            }
        }

        return yaml.ToString();
    }

    public override string ToString() =>
        string.Join(", ", new[]
        {
            UnixSocket is null ? null : $"dkim.socket: {UnixSocket}",
            Canonicalization is null ? null : $"dkim.canonicalization: {Canonicalization}",
            QueueLifetime is null ? null : $"queue lifetimes {QueueLifetime}",
            MilterDefaultAction is null ? null : $"milter_default_action = {MilterDefaultAction}",
            Selectors is null ? null : $"selectors {string.Join(", ", Selectors.Select(s => $"{s.Name} {s.State}"))}",
        }.Concat(PostfixParameters.Select(p => $"{p.Key} = {p.Value}")).OfType<string>().DefaultIfEmpty("defaults"));
}
