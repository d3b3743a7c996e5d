using UcsMailConfig.Diagnostics;
using UcsMailConfig.Policy.Values;

namespace UcsMailConfig.Policy.Validate;

/// <summary>The checks every milter socket gets, OpenDKIM's and the chain's alike: reachable from Postfix's chroot, not expanded by Postfix.</summary>
internal static class SocketRules
{
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
