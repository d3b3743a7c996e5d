namespace UcsMailConfig.Tests.Support;

/// <summary>Paths inside the repository, found from the test binary's location.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Examples => Path.Combine(Root, "examples");

    public static string Templates => Path.Combine(Root, "templates");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "UcsMailConfig.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("UcsMailConfig.sln not found above " + AppContext.BaseDirectory);
    }
}
