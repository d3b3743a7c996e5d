using System.Collections.Immutable;
using UcsMailConfig.Diagnostics;
using UcsMailConfig.Files;
using UcsMailConfig.Policy.Model;
using UcsMailConfig.Policy.Values;

namespace UcsMailConfig.Dkim;

/// <summary>
/// The DKIM private keys on the server, the one place that creates and reads them. Paths are
/// the server's (as the policy names them, below its key folder), looked up below an optional
/// root folder, and only through folders that only root can change (<see cref="KeyFolderWalk"/>).
/// Contract: an existing key file is never overwritten, moved or deleted, and used only when it
/// is safe (<see cref="PrivateKeyFile"/>); new ones are opendkim:opendkim 0600 when we run as
/// root and the opendkim user exists; no private key is ever returned.
/// </summary>
public static class DkimKeyStore
{
    /// <summary>Where the server path <paramref name="path"/> is below <paramref name="root"/> (the path itself without a root).</summary>
    public static string PathUnder(string? root, string path) =>
        string.IsNullOrEmpty(root) ? path : Path.Join(Path.GetFullPath(root), path);

    /// <summary>Creates a new key at <paramref name="keyPath"/>, which lies below <paramref name="keyFolder"/> (both below <paramref name="root"/>).</summary>
    /// <exception cref="UnsafeDkimKeyException">a folder on the way is not safe to use; nothing was changed.</exception>
    /// <exception cref="DkimKeyException">the file exists, the size is not offered, or it cannot be written.</exception>
    public static CreatedKey Create(DomainName domain, string selector, string keyFolder, string keyPath, int bits, string? root)
    {
        var owner = Posix.IsRoot ? SystemAccount.Find(SystemAccount.OpenDkim) : null;
        var publicKey = DkimKeyGenerator.Generate(root, keyFolder, keyPath, bits, owner);
        return new CreatedKey(domain, selector, keyPath, PathUnder(root, keyPath), publicKey, owner?.Name ?? Environment.UserName);
    }

    /// <summary>
    /// Creates the 2048-bit keys that pending and active selectors name but that do not exist
    /// yet (what <c>apply</c> calls). Existing keys are left alone; a retired selector never
    /// gets a new key, because a new key would not match the record that is still published.
    /// </summary>
    /// <exception cref="UnsafeDkimKeyException">a folder on the way to one of them is not safe to use; nothing was created.</exception>
    public static ImmutableArray<CreatedKey> EnsureKeys(MailPolicy policy, string? root)
    {
        var missing = policy.Domains
            .SelectMany(d => (d.Dkim?.Selectors ?? []).Select(s => (Domain: d.Name, Selector: s)))
            .Where(k => k.Selector.State != SelectorState.Retired && !Path.Exists(PathUnder(root, k.Selector.KeyPath)))
            .ToList();

        // Every folder is checked before the first key is made, so a refusal leaves the host as it was.
        var openDkim = SystemAccount.Find(SystemAccount.OpenDkim);
        foreach (var (_, selector) in missing)
        {
            KeyFolderWalk.Open(root, policy.Dkim.KeyFolder, selector.KeyPath, create: false, openDkim)?.Dispose();
        }

        var created = new List<CreatedKey>(missing.Count);
        foreach (var (domain, selector) in missing)
        {
            created.Add(Create(domain, selector.Name, policy.Dkim.KeyFolder, selector.KeyPath, DkimKeySize.Default, root));
        }

        return [.. created];
    }

    /// <summary>
    /// Reads the public half of every selector's key. Findings point at the selector in the
    /// policy: an error (UMC062) for a key that is missing or unreadable, an error (UMC065) for
    /// one that others could change or read, a warning (UMC061) for one shorter than 2048 bits.
    /// </summary>
    public static PublicKeyReading ReadPublicKeys(MailPolicy policy, string? root)
    {
        var openDkim = SystemAccount.Find(SystemAccount.OpenDkim);
        var keys = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        var findings = new List<KeyFinding>();
        foreach (var domain in policy.Domains)
        {
            foreach (var selector in domain.Dkim?.Selectors ?? [])
            {
                var file = PathUnder(root, selector.KeyPath);
                var label = $"selector {Text.Quote(selector.Name)} of {domain.Name}";
                KeyFinding Finding(KeyProblem problem, Severity severity, DiagnosticCode code, string reason, string advice) =>
                    new(selector.KeyPath, problem, reason, new Diagnostic(severity, code, selector.Position, $"{label}: {reason}{advice}"));

                DkimPublicKey key;
                byte[]? content = null;
                try
                {
                    content = PrivateKeyFile.Read(root, policy.Dkim.KeyFolder, selector.KeyPath, openDkim);
                    if (content is null)
                    {
                        findings.Add(Finding(KeyProblem.Missing, Severity.Error, DiagnosticCode.DkimKeyUnavailable, $"there is no key file {file}",
                            $"; create it with: ucs-mail-config dkim keygen --domain {domain.Name} --selector {selector.Name}{KeyOptions(policy.Dkim.KeyFolder, domain.Name, selector)}{(string.IsNullOrEmpty(root) ? "" : $" --root {root}")}"));
                        continue;
                    }

                    key = DkimPublicKey.FromPem(System.Text.Encoding.ASCII.GetString(content), file);
                }
                catch (UnsafeDkimKeyException e)
                {
                    findings.Add(Finding(KeyProblem.Unsafe, Severity.Error, DiagnosticCode.UnsafeDkimKey, e.Message, ""));
                    continue;
                }
                catch (DkimKeyException e)
                {
                    findings.Add(Finding(KeyProblem.Unreadable, Severity.Error, DiagnosticCode.DkimKeyUnavailable, e.Message, ""));
                    continue;
                }
                finally
                {
                    System.Security.Cryptography.CryptographicOperations.ZeroMemory(content);
                }

                if (DkimKeySize.IsWeak(key.Bits))
                {
                    findings.Add(Finding(KeyProblem.Weak, Severity.Warning, DiagnosticCode.WeakDkimKey, $"the key {file} has only {key.Bits} bits",
                        $"; receivers may reject keys shorter than 2048 bits (RFC 8301); replace it with: ucs-mail-config dkim rotate --domain {domain.Name}"));
                }

                keys[selector.KeyPath] = key.Base64;
            }
        }

        // In file order, like the policy's own findings, so that the output reads top to bottom.
        return new PublicKeyReading(new DkimPublicKeys(keys.ToImmutable()),
            [.. findings.OrderBy(f => f.Diagnostic.Position.Line).ThenBy(f => f.Diagnostic.Position.Column)]);
    }

    private static string KeyOptions(string keyFolder, DomainName domain, DkimSelector selector) =>
        (keyFolder == KeyFolder.Default ? "" : $" --key-folder {keyFolder}")
        + (selector.KeyPath == DkimSelectorName.DefaultKeyPath(keyFolder, domain, selector.Name) ? "" : $" --key {selector.KeyPath}");
}

/// <summary>The public keys that could be read, and a finding for each selector whose key could not (or is weak).</summary>
public sealed record PublicKeyReading(DkimPublicKeys Keys, ImmutableArray<KeyFinding> Findings)
{
    public IEnumerable<Diagnostic> Diagnostics => Findings.Select(f => f.Diagnostic);

    public bool HasErrors => Findings.Any(f => f.Diagnostic.Severity == Severity.Error);
}

/// <summary>What is wrong with the key file a selector names (<see cref="KeyFinding.KeyPath"/>, as the policy names it).</summary>
public enum KeyProblem
{
    Missing,
    Unreadable,
    /// <summary>The key or a folder on the way could be changed (or the key read) by someone other than root: never used.</summary>
    Unsafe,
    Weak,
}

/// <summary>One selector's key problem: the reason alone, and as the finding to print.</summary>
public sealed record KeyFinding(string KeyPath, KeyProblem Problem, string Reason, Diagnostic Diagnostic);
