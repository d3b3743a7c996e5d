using System.Collections.Immutable;
using UcsMailConfig.Policy.Model;
using UcsMailConfig.Policy.Schema;
using UcsMailConfig.Policy.Syntax;
using UcsMailConfig.Policy.Values;
using static UcsMailConfig.Policy.Validate.PolicyNodes;

namespace UcsMailConfig.Policy.Validate;

/// <summary>Binds webapp.smime, Kopano WebApp's S/MIME plugin settings. Contract as <see cref="PolicyBinder"/>'s.</summary>
internal static class SmimeBinder
{
    public static SmimePolicy? Bind(YamlMapping? smime)
    {
        if (smime is null)
        {
            return null;
        }

        var cipher = Scalar(smime, "cipher") switch
        {
            "aes-128-cbc" => SmimeCipher.Aes128Cbc,
            "aes-192-cbc" => SmimeCipher.Aes192Cbc,
            _ => SmimeCipher.Aes256Cbc,
        };
        var caCertificates = smime["ca_certificates"] is { } list
            ? [.. Items(list).OfType<YamlScalar>().Select(s => s.Value).Where(p => ValueSafety.IsSafe(p) && ValueFormats.CaPath.IsValid(p))]
            : ImmutableArray.Create("/etc/ssl/certs");
        return new SmimePolicy(cipher, caCertificates, Boolean(smime, "ocsp") ?? true, Boolean(smime, "remember_passphrase") ?? false);
    }
}
