using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using Microsoft.Extensions.Logging;
using WeStore.Domain.WeCom;
using WeStore.WeChat.WeCom;

namespace WeStore.Application.WeCom;

/// <summary>
/// The welcome card's picture as a WeCom media id. Media ids live 3 days (https://developer.work.weixin.qq.com/document/path/90253),
/// so one is uploaded, kept for 2.5 days (in the store, shared by instances, and in memory), then replaced. The
/// picture is <c>WeCom:WelcomeCardImagePath</c>, or a plain 520×416 card made here.
/// </summary>
public sealed class WelcomeCard(WeComApiClient wecom, IWeComContactStore store, Microsoft.Extensions.Options.IOptions<WeStore.WeChat.WeChatOptions> miniProgram, TimeProvider time, ILogger<WelcomeCard> logger)
{
    public static readonly TimeSpan Reuse = TimeSpan.FromHours(60);
    private const string Setting = "welcome-card-media";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string MediaId, DateTimeOffset At)? _cached;

    public async Task<string> MediaIdAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_cached is { } c && now - c.At < Reuse) return c.MediaId;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } again && now - again.At < Reuse) return again.MediaId;
            var (stored, at) = await store.GetSettingAsync(Setting, cancellationToken);
            if (stored is not null && at is { } uploaded && now - uploaded < Reuse)
            {
                _cached = (stored, uploaded);
                return stored;
            }

            var (bytes, name, type) = Picture();
            var response = await wecom.UploadMediaAsync(new CgiBinMediaUploadRequest("image", name, type, bytes), cancellationToken);
            if (string.IsNullOrEmpty(response.MediaId)) throw new WeStore.WeChat.WeChatUnavailableException(CgiBinMediaUploadRequest.Path, "no media_id in the answer");
            // Its own creation time, where given: the 3 days run from there.
            var created = long.TryParse(response.CreatedAt, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? DateTimeOffset.FromUnixTimeSeconds(s) : now;
            if (created > now) created = now;
            await store.SetSettingAsync(Setting, response.MediaId, created, cancellationToken);
            logger.LogInformation("Uploaded the welcome card picture ({Bytes} bytes)", bytes.Length);
            _cached = (response.MediaId, created);
            return response.MediaId;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets the media id (WeCom refused it as expired or unknown).</summary>
    public void Forget() => _cached = null;

    /// <summary>A mass-send task for one staff member's customers: the text, and the Mini Program card when it has a title and page.</summary>
    public async Task<ExternalContactAddMsgTemplateRequest> MassMessageAsync(
        string sender, IReadOnlyList<string> externalUserIds, string text, string? title, string? page, CancellationToken cancellationToken) => new()
    {
        ExternalUserIds = externalUserIds, Sender = sender, Text = new WelcomeText(text),
        Attachments = title is not null && page is not null ? await AttachmentsAsync(title, page, cancellationToken) : null,
    };

    /// <summary>The Mini Program card as a WeCom message attachment (welcomes and mass messages); none without the Mini Program's appid.</summary>
    public async Task<IReadOnlyList<WelcomeAttachment>?> AttachmentsAsync(string title, string page, CancellationToken cancellationToken)
    {
        var appId = miniProgram.Value.AppId;
        if (appId.Length == 0) return null;
        return
        [
            new WelcomeAttachment
            {
                MsgType = "miniprogram",
                MiniProgram = new WelcomeMiniProgram { Title = title, PicMediaId = await MediaIdAsync(cancellationToken), AppId = appId, Page = page },
            },
        ];
    }

    private (byte[] Bytes, string Name, string Type) Picture()
    {
        var path = wecom.Options.WelcomeCardImagePath;
        if (path.Length > 0 && File.Exists(path))
        {
            var bytes = File.ReadAllBytes(path);
            var png = path.EndsWith(".png", StringComparison.OrdinalIgnoreCase);
            return (bytes, Path.GetFileName(path), png ? "image/png" : "image/jpeg");
        }

        return (PlainPng(520, 416, 0xC8, 0x10, 0x2E), "card.png", "image/png");
    }

    /// <summary>A one-colour RGB PNG (https://www.w3.org/TR/png-3/): signature, IHDR, one zlib IDAT, IEND.</summary>
    public static byte[] PlainPng(int width, int height, byte r, byte g, byte b)
    {
        var raw = new byte[height * (1 + (width * 3))];
        for (var y = 0; y < height; y++)
        {
            var row = y * (1 + (width * 3));
            for (var x = 0; x < width; x++) (raw[row + 1 + (x * 3)], raw[row + 2 + (x * 3)], raw[row + 3 + (x * 3)]) = (r, g, b);
        }

        using var idat = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionLevel.Optimal, leaveOpen: true)) z.Write(raw);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // truecolour
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", idat.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        var typed = new byte[4 + data.Length];
        System.Text.Encoding.ASCII.GetBytes(type, typed);
        data.CopyTo(typed, 4);
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typed));
        png.Write(number);
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var d in data)
        {
            crc ^= d;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }

        return ~crc;
    }
}
