using UcsMailConfig.Diagnostics;
using UcsMailConfig.Policy.Values;

namespace UcsMailConfig.Policy.Validate;

/// <summary>The checks every milter socket gets, OpenDKIM's and the chain's alike: reachable from Postfix's chroot, not expanded by Postfix.</summary>
internal static class SocketRules
{
    /// <summary>
    /// A socket in Postfix's or OpenDKIM's own syntax is taken (admins copy it from main.cf or
    /// /etc/default/opendkim), with a warning that gives the policy's form: one value that the
    /// tool writes in each program's syntax, so the two sides cannot disagree.
    /// </summary>
    public static MilterSocket? Parse(DiagnosticBag diagnostics, string text, SourcePosition at, string where)
    {
        if (!MilterSocket.TryParse(text, out var socket, out var syntax))
        {
            return null;
        }

        if (syntax != SocketSyntax.Policy)
        {
            diagnostics.Warning(DiagnosticCode.SocketInProgramSyntax, at,
                $"{where}: {Text.Quote(text)} is {(syntax == SocketSyntax.OpenDkim ? "OpenDKIM's" : "Postfix's")} own syntax, taken as {Text.Quote(socket.PolicyText)}; write that, the policy's form, which the tool writes in Postfix's and OpenDKIM's syntax alike");
        }

        return socket;
    }

    public static void CheckChroot(DiagnosticBag diagnostics, MilterSocket socket, SourcePosition at, string where)
    {
        if (socket is UnixMilterSocket unix && !unix.Path.StartsWith(MilterSocket.PostfixChroot, StringComparison.Ordinal))
        {
            diagnostics.Error(DiagnosticCode.SocketOutsideChroot, at,
                $"{where}: the UNIX socket {Text.Quote(unix.Path)} is outside Postfix's chroot, where smtpd cannot reach it; put it under {MilterSocket.PostfixChroot} (e.g. {MilterSocket.PostfixChroot}opendkim/opendkim.sock) or use HOST:PORT");
        }
    }

    // Postfix expands $name in main.cf values; the other side reads the same text literally, so the two would disagree.
    public static void CheckNotExpanded(DiagnosticBag diagnostics, MilterSocket socket, SourcePosition at, string where, string reader)
    {
        if (socket is UnixMilterSocket unix && unix.Path.Contains('$'))
        {
            diagnostics.Error(DiagnosticCode.PostfixExpandsValue, at,
                $"{where}: the UNIX socket {Text.Quote(unix.Path)} contains '$', which Postfix expands as a parameter while {reader} takes it literally; write the path without '$'");
        }
    }
}
