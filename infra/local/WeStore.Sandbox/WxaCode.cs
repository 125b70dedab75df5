using System.Text.Json.Nodes;
using QRCoder;

namespace WeStore.Sandbox;

/// <summary>
/// <c>wxa/getwxacodeunlimit</c>: checks the body as WeChat documents it and answers with a real PNG QR code that
/// encodes the page and the scene (a real Mini Program code is a round "sun code"; any scannable image serves here).
/// Scenes starting <c>ratelimit</c> get 45009 and <c>busy</c> gets -1; pages under <c>pages/unreleased</c> get 41030
/// unless <c>check_path</c> is false.
/// </summary>
internal static class WxaCode
{
    private const string SceneSymbols = "!#$&'()*+,/:;=?@-._~";

    public static IResult Render(JsonObject body)
    {
        var scene = body["scene"] is JsonValue sv && sv.TryGetValue<string>(out var s) ? s : null;
        if (string.IsNullOrEmpty(scene) || scene.Length > 32) return Error(40169, "invalid length for scene, or the data is not json string");
        if (!scene.All(c => char.IsAsciiLetterOrDigit(c) || SceneSymbols.Contains(c))) return Error(40129, "invalid scene");
        var page = body["page"] is JsonValue pv && pv.TryGetValue<string>(out var p) ? p : "pages/index/index";
        var checkPath = body["check_path"] is not JsonValue cv || !cv.TryGetValue<bool>(out var check) || check;
        if (page.StartsWith('/') || page.Contains('?') || (checkPath && page.StartsWith("pages/unreleased", StringComparison.Ordinal)))
        {
            return Error(41030, "invalid page rid: sandbox");
        }

        if (scene.StartsWith("ratelimit", StringComparison.Ordinal)) return Error(45009, "reach max api daily quota limit");
        if (scene.StartsWith("busy", StringComparison.Ordinal)) return Error(-1, "system error");
        var width = body["width"] is JsonValue wv && wv.TryGetValue<int>(out var w) ? Math.Clamp(w, 280, 1280) : 430;

        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode($"https://mp.weixin.qq.com/a/sandbox/{page}?scene={Uri.EscapeDataString(scene)}", QRCodeGenerator.ECCLevel.M);
        var modules = data.ModuleMatrix.Count;
        var png = new PngByteQRCode(data).GetGraphic(Math.Max(1, width / modules));
        return Results.Bytes(png, "image/png");
    }

    private static IResult Error(int code, string message) => Results.Json(new JsonObject { ["errcode"] = code, ["errmsg"] = message });
}
