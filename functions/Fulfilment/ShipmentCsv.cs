using System.Globalization;
using System.Text;
using WeStore.Application.Fulfilment;
using WeStore.Application.Orders;
using WeStore.Domain.Catalog;

namespace WeStore.Functions.Fulfilment;

/// <summary>A CSV line that could not be read, with why.</summary>
public sealed record CsvLineError(int Line, string Reason);

/// <summary>
/// A warehouse's shipment file: <c>orderNo,expressCompany,trackingNo[,skuId,quantity]</c>, one package line per row
/// (several rows with the same order, carrier and tracking number make one package of several SKUs; a row without a
/// SKU ships everything left). RFC 4180 quoting, an optional header row, blank lines skipped, UTF-8 (a BOM is
/// dropped). Each line is judged on its own: a bad line is reported and the others still go.
/// </summary>
public static class ShipmentCsv
{
    public const int MaxBytes = 1024 * 1024;
    public const int MaxLines = 5000;

    public static (IReadOnlyList<CsvShipmentLine> Lines, IReadOnlyList<CsvLineError> Errors, bool TooManyLines) Parse(ReadOnlySpan<byte> bytes)
    {
        var text = new UTF8Encoding(false, throwOnInvalidBytes: false).GetString(bytes).TrimStart('\uFEFF');
        var lines = new List<CsvShipmentLine>();
        var errors = new List<CsvLineError>();
        foreach (var (row, fields, malformed) in Rows(text))
        {
            if (fields.Count == 1 && fields[0].Length == 0) continue;
            if (lines.Count + errors.Count >= MaxLines) return (lines, errors, true);
            if (malformed)
            {
                errors.Add(new CsvLineError(row, "An unterminated or misplaced quote."));
                continue;
            }

            if (row == 1 && fields.Count > 0 && string.Equals(fields[0].Trim(), "orderNo", StringComparison.OrdinalIgnoreCase)) continue;
            var error = Check(fields);
            if (error is not null)
            {
                errors.Add(new CsvLineError(row, error));
                continue;
            }

            var f = fields.Select(x => x.Trim()).ToList();
            lines.Add(new CsvShipmentLine(row, f[0], f[1], f[2], f.Count > 3 && f[3].Length > 0 ? f[3] : null,
                f.Count > 4 && f[4].Length > 0 ? int.Parse(f[4], NumberStyles.None, CultureInfo.InvariantCulture) : null));
        }

        return (lines, errors, false);
    }

    private static string? Check(IReadOnlyList<string> raw)
    {
        if (raw.Count is not (3 or 5)) return "A line has 3 fields (orderNo,expressCompany,trackingNo) or 5 (with skuId,quantity).";
        var f = raw.Select(x => x.Trim()).ToList();
        if (!OrderNumbers.IsValid(f[0])) return "orderNo is not an order number.";
        if (!ShipmentRules.IsCompanyId(f[1])) return "expressCompany is a carrier's delivery_id (YTO, ZTO, SF, ...).";
        if (f[2].Length == 0) return "trackingNo is empty.";
        if (!ShipmentRules.IsTrackingNo(f[2])) return "trackingNo is 1 to 128 letters, digits or '-'.";
        if (f.Count == 5)
        {
            if (f[3].Length == 0 && f[4].Length == 0) return null;
            if (!CatalogRules.IsValidId(f[3])) return "skuId is not a SKU id.";
            if (!int.TryParse(f[4], NumberStyles.None, CultureInfo.InvariantCulture, out var quantity) || quantity is < 1 or > ShipmentRules.MaxQuantity)
            {
                return $"quantity is a whole number from 1 to {ShipmentRules.MaxQuantity}.";
            }
        }

        return null;
    }

    /// <summary>Rows by RFC 4180 (quoted fields may hold commas, doubled quotes and line breaks), numbered from 1.</summary>
    private static IEnumerable<(int Row, List<string> Fields, bool Malformed)> Rows(string text)
    {
        var row = 1;
        var line = 1;
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var malformed = false;
        var fieldStart = true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    if (c == '\n') line++;
                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when fieldStart:
                    quoted = true;
                    fieldStart = false;
                    break;
                case '"':
                    malformed = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldStart = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    yield return (row, fields, malformed);
                    line++;
                    row = line;
                    fields = [];
                    field.Clear();
                    malformed = false;
                    fieldStart = true;
                    break;
                default:
                    if (!(fieldStart && c == ' ')) fieldStart = false;
                    field.Append(c);
                    break;
            }
        }

        if (fields.Count > 0 || field.Length > 0 || quoted)
        {
            fields.Add(field.ToString());
            yield return (row, fields, malformed || quoted);
        }
    }
}
