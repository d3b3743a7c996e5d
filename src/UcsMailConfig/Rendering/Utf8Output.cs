using System.Buffers;
using System.Text.Unicode;
using Scriban.Runtime;

namespace UcsMailConfig.Rendering;

/// <summary>
/// Scriban output written straight to UTF-8 in pooled chunks, copied once into the file's bytes.
/// Rendering into a string instead costs three full-size copies (builder, string, bytes): most
/// of render's allocations for a large policy.
/// </summary>
internal sealed class Utf8Output : IScriptOutput, IDisposable
{
    private const int ChunkSize = 64 * 1024;

    private readonly List<(byte[] Bytes, int Length)> _full = [];
    private byte[] _chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
    private int _used;

    public void Write(string text, int offset, int count)
    {
        var chars = text.AsSpan(offset, count);
        while (true)
        {
            // Scriban writes whole values and template text, so no surrogate pair is split
            // between two calls: the bytes are those of the whole text encoded at once.
            Utf8.FromUtf16(chars, _chunk.AsSpan(_used), out var read, out var written);
            _used += written;
            chars = chars[read..];
            if (chars.IsEmpty)
            {
                return;
            }

            _full.Add((_chunk, _used));
            _chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
            _used = 0;
        }
    }

    public ValueTask WriteAsync(string text, int offset, int count, CancellationToken cancellationToken)
    {
        Write(text, offset, count);
        return ValueTask.CompletedTask;
    }

    public byte[] ToArray()
    {
        var result = new byte[_full.Sum(c => c.Length) + _used];
        var at = 0;
        foreach (var (bytes, length) in _full)
        {
            bytes.AsSpan(0, length).CopyTo(result.AsSpan(at));
            at += length;
        }

        _chunk.AsSpan(0, _used).CopyTo(result.AsSpan(at));
        return result;
    }

    public void Dispose()
    {
        foreach (var (bytes, _) in _full)
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }

        _full.Clear();
        ArrayPool<byte>.Shared.Return(_chunk);
        _chunk = [];
    }
}
