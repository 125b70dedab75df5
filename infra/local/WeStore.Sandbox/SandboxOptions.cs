namespace WeStore.Sandbox;

public sealed class SandboxOptions
{
    public const string DefaultUrl = "http://127.0.0.1:7072";

    public string Url { get; set; } = DefaultUrl;

    /// <summary>The Mini Program the sandbox accepts (must match the store's WeChat:AppId / AppSecret).</summary>
    public string AppId { get; set; } = "wx0000000000000000";

    public string AppSecret { get; set; } = string.Empty;

    /// <summary>Where generated keys and state live; the sandbox's openids are derived from a secret kept here.</summary>
    public string DataDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "westore-sandbox");

    /// <summary>How long a code starting with <c>slow</c> makes the sandbox wait, to exercise client timeouts.</summary>
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(10);

    public int AccessTokenLifetimeSeconds { get; set; } = 7200;

    /// <summary>The merchant id the sandbox's WeChat Pay accepts.</summary>
    public string MchId { get; set; } = "1900000001";
}
