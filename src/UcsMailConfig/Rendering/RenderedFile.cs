namespace UcsMailConfig.Rendering;

/// <summary>One generated file: where it lands below the target root, its bytes and its Unix mode.</summary>
public sealed record RenderedFile(string Path, byte[] Content, UnixFileMode Mode);
