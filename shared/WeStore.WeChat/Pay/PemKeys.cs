using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace WeStore.WeChat.Pay;

/// <summary>Loads RSA keys from PEM text or from a path to a PEM file (settings may hold either).</summary>
public static class PemKeys
{
    public static string ReadPem(string pemOrPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pemOrPath);
        if (pemOrPath.Contains("-----BEGIN", StringComparison.Ordinal)) return pemOrPath;
        if (!File.Exists(pemOrPath)) throw new InvalidOperationException("A key setting is neither PEM text nor the path of a PEM file.");
        return File.ReadAllText(pemOrPath);
    }

    /// <summary>The merchant API private key: PKCS#8 (<c>apiclient_key.pem</c>) or PKCS#1.</summary>
    public static RSA LoadPrivateKey(string pemOrPath)
    {
        var pem = ReadPem(pemOrPath);
        if (!pem.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The merchant private key setting does not hold a private key (a certificate or public key was given?).");
        }

        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return rsa;
    }

    /// <summary>A WeChat Pay public key (SPKI or PKCS#1) or a platform certificate.</summary>
    public static RSA LoadPublicKey(string pemOrPath)
    {
        var pem = ReadPem(pemOrPath);
        if (pem.Contains("BEGIN CERTIFICATE", StringComparison.Ordinal))
        {
            using var certificate = X509Certificate2.CreateFromPem(pem);
            return certificate.GetRSAPublicKey() ?? throw new InvalidOperationException("The certificate holds no RSA key.");
        }

        if (pem.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("A public key setting holds a private key; give the public key or certificate instead.");
        }

        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return rsa;
    }

    /// <summary>Certificate serials compare as hex without leading zeros (.NET adds one where the sign bit is set).</summary>
    public static string NormalizeSerial(string serial)
    {
        var trimmed = serial.Trim();
        if (trimmed.StartsWith("PUB_KEY_ID_", StringComparison.Ordinal)) return trimmed;
        return trimmed.All(Uri.IsHexDigit) ? trimmed.TrimStart('0').ToUpperInvariant() : trimmed;
    }

    public static string CertificateSerial(string pemOrPath)
    {
        using var certificate = X509Certificate2.CreateFromPem(ReadPem(pemOrPath));
        return NormalizeSerial(certificate.SerialNumber);
    }
}
