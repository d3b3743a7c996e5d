namespace UcsMailConfig.Ucs;

/// <summary>
/// Makes running services pick up a changed configuration (UCR does not): reload Postfix;
/// reload OpenDKIM (SIGUSR1 through its unit's ExecReload), or restart it only when a setting
/// it reads at start changed (<see cref="OpenDkimStartSettings"/>) — a restart closes its socket
/// for a moment, and mail passing then is unsigned or tempfailed (milter_default_action);
/// and flush the queue after a queue lifetime was lowered, so mail already
/// waiting is judged by the new lifetime now rather than at its next retry. A service that is
/// not running is left alone: it reads the new configuration when it starts.
/// Returns the failing command, or null.
/// </summary>
internal static class ServiceControl
{
    public static CommandRecord? Apply(ApplyPlan plan, string root, ToolPaths tools, CommandRunner runner, ICollection<string> notes)
    {
        if (plan.OpenDkim == OpenDkimAction.Restart)
        {
            notes.Add($"OpenDKIM is restarted, not reloaded: a reload does not change {string.Join(", ", plan.OpenDkimStartSettingsChanged)}");
        }

        return Reload(plan.TouchesPostfix, plan.OpenDkim, plan.QueueLifetimeLowered, root, tools, runner, notes);
    }

    public static CommandRecord? Reload(bool postfix, OpenDkimAction openDkim, bool flushQueue, string root, ToolPaths tools, CommandRunner runner, ICollection<string> notes)
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

        if (openDkim != OpenDkimAction.None)
        {
            if (!runner.Run(tools.Systemctl, "is-active", "--quiet", "opendkim").Succeeded)
            {
                notes.Add("OpenDKIM is not running; it reads the new configuration when it starts");
            }
            else if (runner.Run(tools.Systemctl, openDkim == OpenDkimAction.Restart ? "restart" : "reload", "opendkim") is { Succeeded: false } failed)
            {
                return failed;
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
