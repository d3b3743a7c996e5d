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

    public string Yaml(int dkimPort)
    {
        var yaml = new StringBuilder("version: 1\n");
        if (QueueLifetime is not null || PostfixParameters.Count > 0)
        {
            yaml.Append("postfix:\n");
        }

        if (QueueLifetime is not null)
        {
            yaml.Append($"  queue:\n    maximal_lifetime: {QueueLifetime}\n    bounce_lifetime: {QueueLifetime}\n");
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

            yaml.Append($"domains:\n  {Domain}:\n    dkim:\n      selectors:\n        {Selector}: {{}}\n");
        }

        return yaml.ToString();
    }

    public override string ToString() =>
        string.Join(", ", new[]
        {
            UnixSocket is null ? null : $"dkim.socket: {UnixSocket}",
            Canonicalization is null ? null : $"dkim.canonicalization: {Canonicalization}",
            QueueLifetime is null ? null : $"queue lifetimes {QueueLifetime}",
        }.Concat(PostfixParameters.Select(p => $"{p.Key} = {p.Value}")).OfType<string>().DefaultIfEmpty("defaults"));
}
