using UcsMailConfig.Tests.Support;
using UcsMailConfig.Ucs;

namespace UcsMailConfig.Tests.Ucs;

/// <summary>Our Debian version order is dpkg's: every pair is also asked of the real dpkg --compare-versions.</summary>
public sealed class DebianVersionTests
{
    public static TheoryData<string, string> Pairs => new()
    {
        { "2.2.0.162", "2.2.0.162" },
        { "2.2.0.161", "2.2.0.162" },
        { "2.2.0.100+1.1", "2.2.0.162" },
        { "2.2.2.240+23.1", "2.2.0.162" },
        { "2.2.0.162", "2.2.0.162+1" },
        { "2.2.0.162~rc1", "2.2.0.162" },
        { "2.2.0.162~rc1", "2.2.0.162~rc2" },
        { "2.2.0.162~~", "2.2.0.162~" },
        { "1:1.0", "2.2.0.162" },
        { "2.10", "2.9" },
        { "2.010", "2.10" },
        { "1.0-1", "1.0-1.1" },
        { "1.0-1", "1.0-1a" },
        { "1.0a", "1.0+" },
        { "1.0", "1.0.0" },
        { "3.7.11-0+deb12u1", "3.7.10-1" },
        { "0:1.2", "1.2" },
        { "1.2-3-4", "1.2-3-5" },
        { "99999999999999999999.1", "99999999999999999999.2" },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Compares_like_dpkg(string a, string b)
    {
        var ours = Math.Sign(DebianVersion.Parse(a).CompareTo(DebianVersion.Parse(b)));
        var reverse = Math.Sign(DebianVersion.Parse(b).CompareTo(DebianVersion.Parse(a)));

        Assert.Equal(Dpkg(a, b), ours);
        Assert.Equal(-ours, reverse);
    }

    [Fact]
    public void Reads_epoch_upstream_and_revision()
    {
        Assert.Equal(new DebianVersion(2, "8.2+93", ""), DebianVersion.Parse("2:8.2+93"));
        Assert.Equal(new DebianVersion(0, "3.7.11", "0+deb12u1"), DebianVersion.Parse("3.7.11-0+deb12u1"));
        Assert.Equal("1:2.2.0.162-1", DebianVersion.Parse("1:2.2.0.162-1").ToString());
    }

    private static int Dpkg(string a, string b)
    {
        var dpkg = ExternalProgram.Find("dpkg");
        if (ExternalProgram.Run(dpkg, ["--compare-versions", a, "lt", b]).ExitCode == 0)
        {
            return -1;
        }

        return ExternalProgram.Run(dpkg, ["--compare-versions", a, "eq", b]).ExitCode == 0 ? 0 : 1;
    }
}
