using System.Text.RegularExpressions;

namespace KaWorkflow.Web;

/// <summary>Element ids made from field names (<c>progress|KA.01.03</c> becomes <c>progress-KA-01-03</c>), so error
/// summaries can link to their fields.</summary>
public static partial class FieldIds
{
    public static string Id(string field) => NotIdSafe().Replace(field, "-");

    [GeneratedRegex("[^A-Za-z0-9_-]")]
    private static partial Regex NotIdSafe();
}
