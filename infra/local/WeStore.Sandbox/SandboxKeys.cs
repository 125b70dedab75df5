using System.Security.Cryptography;
using System.Text.Json;

namespace WeStore.Sandbox;

/// <summary>
/// The sandbox's WeChat Pay key material, generated on first run into its data folder: the merchant's API key pair
/// (the store signs with the private half; the sandbox checks with the public half), WeChat Pay's own key pair (the
/// sandbox signs answers and notifications; the store verifies with <c>pub_key.pem</c>), and the APIv3 key.
/// </summary>
public sealed class SandboxKeys
{
    public SandboxKeys(SandboxOptions options)
    {
        var dir = options.DataDirectory;
        Directory.CreateDirectory(dir);
        MerchantPrivateKeyPath = Path.Combine(dir, "merchant_apiclient_key.pem");
        PlatformPublicKeyPath = Path.Combine(dir, "pub_key.pem");
        var platformPrivatePath = Path.Combine(dir, "platform_private_key.pem");
        var idsPath = Path.Combine(dir, "wechatpay.json");

        if (!File.Exists(idsPath))
        {
            using var merchant = RSA.Create(2048);
            using var platform = RSA.Create(2048);
            WriteSecret(MerchantPrivateKeyPath, merchant.ExportPkcs8PrivateKeyPem());
            WriteSecret(platformPrivatePath, platform.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(PlatformPublicKeyPath, platform.ExportSubjectPublicKeyInfoPem());
            var ids = new Ids(
                options.MchId,
                Convert.ToHexString(RandomNumberGenerator.GetBytes(20)),
                "PUB_KEY_ID_01" + options.MchId + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)),
                RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 32));
            WriteSecret(idsPath, JsonSerializer.Serialize(ids));
        }

        var loaded = JsonSerializer.Deserialize<Ids>(File.ReadAllText(idsPath))!;
        MchId = loaded.MchId;
        MerchantSerialNo = loaded.MerchantSerialNo;
        PlatformPublicKeyId = loaded.PlatformPublicKeyId;
        ApiV3Key = loaded.ApiV3Key;
        MerchantPublicKey = RSA.Create();
        MerchantPublicKey.ImportFromPem(File.ReadAllText(MerchantPrivateKeyPath));
        MerchantPublicKey = ToPublic(MerchantPublicKey);
        PlatformPrivateKey = RSA.Create();
        PlatformPrivateKey.ImportFromPem(File.ReadAllText(platformPrivatePath));
    }

    public string MchId { get; }

    public string MerchantSerialNo { get; }

    public string PlatformPublicKeyId { get; }

    public string ApiV3Key { get; }

    public string MerchantPrivateKeyPath { get; }

    public string PlatformPublicKeyPath { get; }

    public RSA MerchantPublicKey { get; }

    public RSA PlatformPrivateKey { get; }

    private static RSA ToPublic(RSA full)
    {
        var rsa = RSA.Create();
        rsa.ImportParameters(full.ExportParameters(false));
        full.Dispose();
        return rsa;
    }

    private static void WriteSecret(string path, string text)
    {
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private sealed record Ids(string MchId, string MerchantSerialNo, string PlatformPublicKeyId, string ApiV3Key);
}
