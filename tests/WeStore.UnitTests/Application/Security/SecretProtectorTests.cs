using System.Security.Cryptography;
using WeStore.Application.Security;

namespace WeStore.UnitTests.Application.Security;

public sealed class SecretProtectorTests
{
    private static readonly byte[] Key1 = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] Key2 = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public void Unprotect_SameOwner_RoundTrips()
    {
        var protector = new SecretProtector(new KeyRing([("e1", Key1)], "e1"));

        var sealedValue = protector.Protect("s3cr3t-session-key==", "oOwner");

        Assert.DoesNotContain("s3cr3t", sealedValue);
        Assert.Equal("s3cr3t-session-key==", protector.Unprotect(sealedValue, "oOwner"));
    }

    [Fact]
    public void Unprotect_OtherOwner_Null()
    {
        var protector = new SecretProtector(new KeyRing([("e1", Key1)], "e1"));

        Assert.Null(protector.Unprotect(protector.Protect("secret", "oOwner"), "oSomeoneElse"));
    }

    [Fact]
    public void Unprotect_Tampered_Null()
    {
        var protector = new SecretProtector(new KeyRing([("e1", Key1)], "e1"));
        var sealedValue = protector.Protect("secret", "o");
        var tampered = sealedValue[..^2] + (sealedValue[^2] == 'A' ? "B" : "A") + sealedValue[^1];

        Assert.Null(protector.Unprotect(tampered, "o"));
        Assert.Null(protector.Unprotect("v1.e1.garbage", "o"));
        Assert.Null(protector.Unprotect("v2.e1.a.b", "o"));
    }

    [Fact]
    public void Unprotect_AfterRotation_OldValuesStillOpen()
    {
        var old = new SecretProtector(new KeyRing([("e1", Key1)], "e1")).Protect("secret", "o");

        var rotated = new SecretProtector(new KeyRing([("e2", Key2), ("e1", Key1)], "e2"));

        Assert.Equal("secret", rotated.Unprotect(old, "o"));
        Assert.StartsWith("v1.e2.", rotated.Protect("secret", "o"));
        Assert.Null(new SecretProtector(new KeyRing([("e2", Key2)], "e2")).Unprotect(old, "o"));
    }
}
