using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;
using UcsMailConfig.Diagnostics;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.MailFlow;

/// <summary>
/// The receiving mail server: SMTP on a loopback port (SmtpServer from NuGet), keeping every
/// message's bytes exactly as they arrived after DATA. It can leave 8BITMIME (and SMTPUTF8,
/// which implies 8-bit and which Postfix takes as 8BITMIME) out of its EHLO reply, to play a
/// receiver that Postfix must convert 8-bit mail for. Dispose stops it and
/// frees the port.
/// </summary>
public sealed class SmtpSink : IDisposable
{
    private readonly ConcurrentQueue<ReceivedMessage> _messages = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SmtpServer.SmtpServer _server;
    private readonly Task _running;
    private bool _disposed;

    private SmtpSink(int port, bool announce8BitMime)
    {
        Port = port;
        var options = new SmtpServerOptionsBuilder()
            .ServerName("sink.example.org")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(_messages));
        if (!announce8BitMime)
        {
            services.Add(new Without8BitMime());
        }

        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(_stop.Token);
    }

    public int Port { get; }

    public static SmtpSink Start(bool announce8BitMime)
    {
        var sink = new SmtpSink(Loopback.FreePort(), announce8BitMime);
        try
        {
            Poll.Until(() => sink._running.IsCompleted || Loopback.Accepts(sink.Port), TimeSpan.FromSeconds(20),
                () => $"the SMTP sink to listen on 127.0.0.1:{sink.Port}");
            if (sink._running.IsCompleted)
            {
                throw new InvalidOperationException($"the SMTP sink stopped at once: {sink._running.Exception}");
            }

            return sink;
        }
        catch
        {
            sink.Dispose();
            throw;
        }
    }

    /// <summary>The first message whose data contains <paramref name="marker"/> (e.g. its Message-ID), if one arrived.</summary>
    public ReceivedMessage? Find(string marker) =>
        _messages.FirstOrDefault(m => m.Text.Contains(marker, StringComparison.Ordinal));

    /// <summary>Every message that arrived so far, in order of arrival.</summary>
    public IReadOnlyList<ReceivedMessage> Messages => [.. _messages];

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stop.Cancel();
        _server.Shutdown();
        try
        {
            _running.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException e) when (e.InnerException is OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private sealed class Store(ConcurrentQueue<ReceivedMessage> messages) : MessageStore
    {
        // SmtpServer hands over the data up to the terminating CRLF.CRLF, without the CRLF that
        // ends the last line; it is part of the message, so it is put back.
        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            messages.Enqueue(new ReceivedMessage([.. buffer.ToArray(), (byte)'\r', (byte)'\n']));
            return Task.FromResult(SmtpResponse.Ok);
        }
    }

    private sealed class Without8BitMime : SmtpCommandFactory
    {
        public override SmtpCommand CreateEhlo(string domainOrAddress) => new Ehlo(domainOrAddress);

        private sealed class Ehlo(string domainOrAddress) : EhloCommand(domainOrAddress)
        {
            protected override IEnumerable<string> GetExtensions(ISessionContext context) =>
                base.GetExtensions(context).Where(e => e is not ("8BITMIME" or "SMTPUTF8"));
        }
    }
}

/// <summary>One message as the sink received it: the raw data.</summary>
public sealed record ReceivedMessage(byte[] Data)
{
    /// <summary>The data as Latin-1 text: one character per byte, for searching and for failure messages.</summary>
    public string Text => System.Text.Encoding.Latin1.GetString(Data);
}
