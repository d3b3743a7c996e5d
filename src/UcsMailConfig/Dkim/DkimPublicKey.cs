using System.Security.Cryptography;

namespace UcsMailConfig.Dkim;

/// <summary>
/// The public half of a DKIM key as its DNS record publishes it: <see cref="Base64"/> is the
/// base64 DER SubjectPublicKeyInfo, the <c>p=</c> value of <c>v=DKIM1; k=rsa; p=...</c>.
/// Read from the private key file, which is never printed, copied or kept in memory longer
/// than needed.
/// </summary>
public sealed record DkimPublicKey(string Base64, int Bits)
{
    public static DkimPublicKey FromRsa(RSA rsa) => new(Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()), rsa.KeySize);

    /// <summary>The public half of an RSA private key in PEM (PKCS#1 or PKCS#8), read from the file <paramref name="path"/>.</summary>
    /// <exception cref="DkimKeyException">the text holds no RSA private key.</exception>
    public static DkimPublicKey FromPem(ReadOnlySpan<char> pem, string path)
    {
        // OpenDKIM signs with the private key: a file with only a public key must not pass.
        if (!PemEncoding.TryFind(pem, out var fields) || pem[fields.Label] is not "RSA PRIVATE KEY" and not "PRIVATE KEY")
        {
            throw new DkimKeyException($"the key file {path} holds no unencrypted private key in PEM form (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)");
        }

        using var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            // Only the kind of problem: an exception text could quote part of the file.
            throw new DkimKeyException($"the key file {path} holds no RSA private key (Ed25519 and other key types are not supported, see docs/dkim.md)", e);
        }

        return FromRsa(rsa);
    }
}
