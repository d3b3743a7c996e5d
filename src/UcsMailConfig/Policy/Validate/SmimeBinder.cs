using UcsMailConfig.Diagnostics;
using UcsMailConfig.Policy.Model;
using UcsMailConfig.Policy.Load;

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

        var cipher = PolicyNodes.Choice(smime, "cipher", PolicySpelling.SmimeCiphers) ?? PolicyDefaults.Cipher;
        var caCertificates = smime["ca_certificates"] is { } list
            ? [.. PolicyNodes.Items(list).OfType<YamlScalar>().Select(s => s.Value).Where(p => ValueSafety.IsSafe(p) && ValueFormats.CaPath.IsValid(p))]
            : PolicyDefaults.CaCertificates;
        return new SmimePolicy(cipher, caCertificates, PolicyNodes.Boolean(smime, "ocsp") ?? PolicyDefaults.Ocsp, PolicyNodes.Boolean(smime, "remember_passphrase") ?? PolicyDefaults.RememberPassphrase);
    }
}
