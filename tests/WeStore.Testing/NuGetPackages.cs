namespace WeStore.Testing;

/// <summary>
/// Where NuGet keeps a package's files, found the way NuGet finds its global packages folder: <c>NUGET_PACKAGES</c>
/// when set (CI systems commonly set it without a trailing separator), else <c>~/.nuget/packages</c>. Paths are joined
/// with <see cref="Path.Combine(string[])"/>, never glued, so either spelling of the folder works.
/// </summary>
public static class NuGetPackages
{
    public static string Root(string? nugetPackagesVariable, string userProfile)
        => string.IsNullOrWhiteSpace(nugetPackagesVariable) ? Path.Combine(userProfile, ".nuget", "packages") : nugetPackagesVariable;

    /// <summary>A file inside a package: <c>{root}/{id lower-cased}/{version}/{path...}</c>.</summary>
    public static string File(string root, string packageId, string version, params string[] path)
        => Path.Combine([root, packageId.ToLowerInvariant(), version, .. path]);

    /// <summary>
    /// The file in this machine's global packages folder; when it is not there, in the folder the build restored into
    /// (a NuGet.Config may have moved it).
    /// </summary>
    public static string Locate(string packageId, string version, string? buildTimeRoot, params string[] path)
    {
        var root = Root(Environment.GetEnvironmentVariable("NUGET_PACKAGES"), Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
        var file = File(root, packageId, version, path);
        if (System.IO.File.Exists(file) || string.IsNullOrWhiteSpace(buildTimeRoot)) return file;
        var restored = File(buildTimeRoot, packageId, version, path);
        return System.IO.File.Exists(restored) ? restored : file;
    }
}
