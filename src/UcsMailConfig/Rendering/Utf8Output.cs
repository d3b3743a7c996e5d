using System.Buffers;
using System.Text.Unicode;
using Scriban.Runtime;

namespace UcsMailConfig.Rendering;

/// <summary>
/// Scriban output as UTF-8 in pooled chunks, copied once into the file's bytes. Rendering into
/// a string instead costs three full-size copies (builder, string, bytes): most of render's
/// allocations for a large policy. Writes are short (a value, a separator), so characters are
/// gathered first and encoded in blocks.
/// </summary>
internal sealed class Utf8Output : IScriptOutput, IDisposable
{
    private const int ChunkSize = 64 * 1024;

    private readonly List<(byte[] Bytes, int Length)> _full = [];
    private char[] _pending = ArrayPool<char>.Shared.Rent(16 * 1024);
    private int _pendingCount;
    private byte[] _chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
    private int _used;

    public void Write(string text, int offset, int count)
    {
        var chars = text.AsSpan(offset, count);
        while (chars.Length > _pending.Length - _pendingCount)
        {
            var room = _pending.Length - _pendingCount;
            chars[..room].CopyTo(_pending.AsSpan(_pendingCount));
            _pendingCount += room;
            chars = chars[room..];
            Encode(final: false);
        }

        chars.CopyTo(_pending.AsSpan(_pendingCount));
        _pendingCount += chars.Length;
    }

    public ValueTask WriteAsync(string text, int offset, int count, CancellationToken cancellationToken)
    {
        Write(text, offset, count);
        return ValueTask.CompletedTask;
    }

    public byte[] ToArray()
    {
        Encode(final: true);
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
        ArrayPool<char>.Shared.Return(_pending);
        _chunk = [];
        _pending = [];
    }

    /// <summary>Encodes the gathered characters; a high surrogate at the end waits for its other half.</summary>
    private void Encode(bool final)
    {
        var keep = !final && _pendingCount > 0 && char.IsHighSurrogate(_pending[_pendingCount - 1]) ? 1 : 0;
        var chars = _pending.AsSpan(0, _pendingCount - keep);
        while (true)
        {
            Utf8.FromUtf16(chars, _chunk.AsSpan(_used), out var read, out var written);
            _used += written;
            chars = chars[read..];
            if (chars.IsEmpty)
            {
                break;
            }

            _full.Add((_chunk, _used));
            _chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
            _used = 0;
        }

        if (keep == 1)
        {
            _pending[0] = _pending[_pendingCount - 1];
        }

        _pendingCount = keep;
    }
}
