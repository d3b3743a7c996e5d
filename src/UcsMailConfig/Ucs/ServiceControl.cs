namespace UcsMailConfig.Ucs;

/// <summary>
/// Makes running services pick up a changed configuration (UCR does not): reload Postfix,
/// restart OpenDKIM, and flush the queue after a queue lifetime was lowered, so mail already
/// waiting is judged by the new lifetime now rather than at its next retry. A service that is
/// not running is left alone: it reads the new configuration when it starts.
/// Returns the failing command, or null.
/// </summary>
internal static class ServiceControl
{
    public static CommandRecord? Apply(ApplyPlan plan, string root, ToolPaths tools, CommandRunner runner, ICollection<string> notes) =>
        Reload(plan.TouchesPostfix, plan.TouchesOpenDkim, plan.QueueLifetimeLowered, root, tools, runner, notes);

    public static CommandRecord? Reload(bool postfix, bool openDkim, bool flushQueue, string root, ToolPaths tools, CommandRunner runner, ICollection<string> notes)
    {
        var postfixDirectory = Path.Combine(root, "etc/postfix");
        var postfixRunning = (postfix || flushQueue) && runner.Run(tools.Postfix, "-c", postfixDirectory, "status").Succeeded;
        if (postfix)
        {
            if (!postfixRunning)
            {
                notes.Add("Postfix is not running; it reads the new configuration when it starts");
            }
            else if (runner.Run(tools.Postfix, "-c", postfixDirectory, "reload") is { Succeeded: false } reload)
            {
                return reload;
            }
        }

        if (openDkim)
        {
            if (!runner.Run(tools.Systemctl, "is-active", "--quiet", "opendkim").Succeeded)
            {
                notes.Add("OpenDKIM is not running; it reads the new configuration when it starts");
            }
            else if (runner.Run(tools.Systemctl, "restart", "opendkim") is { Succeeded: false } restart)
            {
                return restart;
            }
        }

        if (flushQueue && postfixRunning
            && runner.Run(tools.Postqueue, "-c", postfixDirectory, "-f") is { Succeeded: false } flush)
        {
            return flush;
        }

        return null;
    }
}
