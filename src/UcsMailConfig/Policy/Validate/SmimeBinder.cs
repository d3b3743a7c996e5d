using UcsMailConfig.Policy.Model;
using UcsMailConfig.Policy.Schema;
using UcsMailConfig.Policy.Syntax;
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

        var cipher = Choice(smime, "cipher", PolicySpelling.SmimeCiphers) ?? PolicyDefaults.Cipher;
        var caCertificates = smime["ca_certificates"] is { } list
            ? [.. Items(list).OfType<YamlScalar>().Select(s => s.Value).Where(p => ValueSafety.IsSafe(p) && ValueFormats.CaPath.IsValid(p))]
            : PolicyDefaults.CaCertificates;
        return new SmimePolicy(cipher, caCertificates, Boolean(smime, "ocsp") ?? PolicyDefaults.Ocsp, Boolean(smime, "remember_passphrase") ?? PolicyDefaults.RememberPassphrase);
    }
}
