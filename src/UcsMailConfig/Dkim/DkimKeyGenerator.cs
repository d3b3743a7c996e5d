using System.Security.Cryptography;
using System.Text;

namespace UcsMailConfig.Dkim;

/// <summary>
/// Generates an RSA key with .NET's own cryptography and writes it as a new PKCS#1 PEM file
/// through <see cref="PrivateKeyFile"/>. The private key exists only in buffers that are
/// wiped after writing; what comes back is the public half.
/// </summary>
internal static class DkimKeyGenerator
{
    public static DkimPublicKey Generate(string? root, string keyFolder, string keyPath, int bits, SystemAccount? owner)
    {
        if (!DkimKeySize.IsAllowed(bits))
        {
            throw new DkimKeyException($"RSA keys of {bits} bits are not offered; use {DkimKeySize.Expectation}");
        }

        using var rsa = RSA.Create(bits);
        var der = rsa.ExportRSAPrivateKey();
        var pem = PemEncoding.Write("RSA PRIVATE KEY", der);
        var bytes = Encoding.ASCII.GetBytes(pem);
        try
        {
            PrivateKeyFile.WriteNew(root, keyFolder, keyPath, [.. bytes, (byte)'\n'], owner);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
            CryptographicOperations.ZeroMemory(bytes);
            Array.Clear(pem);
        }

        return DkimPublicKey.FromRsa(rsa);
    }
}
