using UcsMailConfig.Dkim;

namespace UcsMailConfig.Tests.Support;

/// <summary>Reads key files the way a test checks them: by path, without the key store's ownership rules.</summary>
public static class TestKeys
{
    public static DkimPublicKey PublicKeyOf(string file) => DkimPublicKey.FromPem(File.ReadAllText(file), file);
}
