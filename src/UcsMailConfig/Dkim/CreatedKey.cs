using UcsMailConfig.Policy.Values;

namespace UcsMailConfig.Dkim;

/// <summary>
/// A key that was just created: for <see cref="Domain"/> and <see cref="Selector"/>, at the
/// server path <see cref="KeyPath"/> (written to <see cref="WrittenTo"/>, which differs only
/// under a test or staging root), owned by <see cref="Owner"/>.
/// </summary>
public sealed record CreatedKey(DomainName Domain, string Selector, string KeyPath, string WrittenTo, DkimPublicKey PublicKey, string Owner);
