using System.Reflection;
using UcsMailConfig.Policy.Values;
using UcsMailConfig.Rendering;
using UcsMailConfig.Ucs;
using UcsMailConfig.Ucs.Layout;

namespace UcsMailConfig.Tests.Policy;

/// <summary>
/// dkim.key_folder against the catalogue of what the tool renders and manages: since a key
/// path must lie strictly below a usable key folder, no such path can name a managed file when
/// no folder above that file is usable.
/// </summary>
public sealed class KeyFolderTests
{
    /// <summary>Every server path the tool writes: rendered templates, their UCR targets, the compiled table, state, journal, lock, log.</summary>
    private static IEnumerable<string> ManagedPaths()
    {
        var templates = typeof(TemplateCatalog).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetValue(null)!)
            .Where(t => t.StartsWith("files/", StringComparison.Ordinal) || t.StartsWith("info/", StringComparison.Ordinal) || t.StartsWith("state/", StringComparison.Ordinal))
            .ToList();
        Assert.True(templates.Count >= 10, $"only {templates.Count} templates found in the catalogue");
        foreach (var template in templates)
        {
            var output = TemplateCatalog.OutputPath(template);
            yield return "/" + output;
            if (UcrTargets.For(output) is { } target)
            {
                yield return target;
                yield return target + ".db";
            }
        }

        yield return "/" + ApplyState.RelativePath;
        yield return "/" + ApplyLock.RelativePath;
        yield return "/" + ApplyJournal.RelativeDirectory + "/intent.json";
        yield return "/" + AuditLog.RelativePath;
        yield return "/etc/univention/base.conf";
    }

    [Fact]
    public void No_folder_above_a_file_the_tool_manages_can_be_the_key_folder()
    {
        foreach (var path in ManagedPaths())
        {
            for (var folder = Path.GetDirectoryName(path)!; folder != "/"; folder = Path.GetDirectoryName(folder)!)
            {
                Assert.True(KeyFolder.Problem(folder) is not null, $"{folder} is accepted as a key folder, but {path} lies below it");
            }
        }
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/etc")]
    [InlineData("/etc/opendkim")]
    [InlineData("/root")]
    [InlineData("/root/.ssh")]
    [InlineData("/usr")]
    [InlineData("/usr/share/keys")]
    [InlineData("/var/lib")]
    [InlineData("/var/lib/ucs-mail-config/keys")]
    [InlineData("/etc/cron.d")]
    [InlineData("/etc/univention/templates/files/etc/opendkim")]
    [InlineData("/var/spool/postfix/opendkim")]
    [InlineData("/home/admin/keys")]
    [InlineData("/tmp/keys")]
    [InlineData("/etc/opendkim/keys/../../ssh")]
    [InlineData("relative/keys")]
    public void A_system_or_managed_folder_is_refused(string folder)
    {
        Assert.NotNull(KeyFolder.Problem(folder));
    }

    [Theory]
    [InlineData("/etc/opendkim/keys")]
    [InlineData("/etc/dkimkeys")]
    [InlineData("/var/lib/opendkim/keys")]
    [InlineData("/srv/dkim")]
    public void A_folder_of_its_own_is_accepted(string folder)
    {
        Assert.Null(KeyFolder.Problem(folder));
    }

    [Theory]
    [InlineData("/etc/opendkim/keys", "/etc/opendkim/keys/example.com/s1.private", true)]
    [InlineData("/etc/opendkim/keys", "/etc/opendkim/keys", false)]
    [InlineData("/etc/opendkim/keys", "/etc/opendkim/keys2/s1.private", false)]
    [InlineData("/etc/opendkim/keys", "/etc/opendkim/KeyTable", false)]
    public void IsBelow_means_strictly_inside(string folder, string path, bool below)
    {
        Assert.Equal(below, KeyFolder.IsBelow(folder, path));
    }
}
