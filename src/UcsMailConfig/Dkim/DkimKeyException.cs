namespace UcsMailConfig.Dkim;

/// <summary>A key file could not be created or read; the message says which file, why, and what to do.</summary>
public class DkimKeyException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// A key file, or a folder on the way to it, is not safe to use: others could change or read
/// it. Nothing was changed; the message names the path and the commands that make it safe.
/// </summary>
public sealed class UnsafeDkimKeyException(string message) : DkimKeyException(message);
