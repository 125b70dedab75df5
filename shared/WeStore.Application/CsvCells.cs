namespace WeStore.Application;

/// <summary>RFC 4180 cells for the CSV exports operators open in a spreadsheet.</summary>
public static class CsvCells
{
    /// <summary>Quoted when needed; a cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) gets a leading apostrophe.</summary>
    public static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
