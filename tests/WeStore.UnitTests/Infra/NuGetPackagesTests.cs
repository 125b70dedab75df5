using WeStore.Testing;

namespace WeStore.UnitTests.Infra;

public sealed class NuGetPackagesTests
{
    [Theory]
    [InlineData("/x/nuget")]
    [InlineData("/x/nuget/")]
    public void File_NuGetPackagesWithOrWithoutTrailingSlash_SamePath(string variable)
    {
        var root = NuGetPackages.Root(variable, "/home/someone");

        var file = NuGetPackages.File(root, "Azure.Bicep.CommandLine.linux-x64", "0.49.2", "tools", "bicep");

        Assert.Equal("/x/nuget/azure.bicep.commandline.linux-x64/0.49.2/tools/bicep", file);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Root_NuGetPackagesUnset_UserProfileFolder(string? variable)
        => Assert.Equal("/home/someone/.nuget/packages", NuGetPackages.Root(variable, "/home/someone"));
}
