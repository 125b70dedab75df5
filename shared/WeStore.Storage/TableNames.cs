namespace WeStore.Storage;

/// <summary>Every table the app owns. Names are alphanumeric, as Azure requires.</summary>
public static class TableNames
{
    public const string Health = "Health";
}
