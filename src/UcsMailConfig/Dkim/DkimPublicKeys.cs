using System.Collections.Immutable;

namespace UcsMailConfig.Dkim;

/// <summary>
/// The public halves of the policy's DKIM keys (base64 SubjectPublicKeyInfo, the record's
/// <c>p=</c> value) by the key file path the policy names. Render stays pure: it never reads a
/// key file; the caller reads them (UcsMailConfig.Dkim.DkimKeyStore) and passes them in. A
/// selector whose key is not here gets a comment in place of its DKIM record.
/// </summary>
public sealed record DkimPublicKeys(ImmutableSortedDictionary<string, string> ByKeyPath)
{
    public static readonly DkimPublicKeys None = new(ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal));

    public string? Find(string keyPath) => ByKeyPath.GetValueOrDefault(keyPath);
}
