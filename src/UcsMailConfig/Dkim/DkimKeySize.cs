namespace UcsMailConfig.Dkim;

/// <summary>
/// The RSA key sizes keygen accepts: 2048 bits by default, 3072 and 4096 for the cautious,
/// and 1024 only for receivers or DNS providers that cannot take more (it is weak, and
/// RFC 8301 makes verifiers free to reject it). Nothing else.
/// </summary>
public static class DkimKeySize
{
    public const int Default = 2048;

    public const int Weak = 1024;

    public const string Expectation = "2048 (the default), 3072 or 4096; 1024 is accepted with a warning";

    public static bool IsAllowed(int bits) => bits is Weak or 2048 or 3072 or 4096;

    /// <summary>Shorter than the 2048 bits receivers expect today.</summary>
    public static bool IsWeak(int bits) => bits < 2048;
}
