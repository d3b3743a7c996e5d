namespace UcsMailConfig.Dkim;

/// <summary>A key file could not be created or read; the message says which file, why, and what to do.</summary>
public sealed class DkimKeyException(string message, Exception? inner = null) : Exception(message, inner);
