namespace KaWorkflow.Form;

/// <summary>How form links are built and what the form accepts.</summary>
public sealed class FormOptions
{
    public const string Section = "Form";

    /// <summary>The app's public address, used in the links e-mailed to leads (for example <c>https://ka.example.gov.uk</c>).</summary>
    /// <remarks>Wrong here means every e-mailed link is dead: check it after each deployment.</remarks>
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>Longest progress text a lead may give for one activity, in characters.</summary>
    public int MaxProgressLength { get; set; } = 4_000;

    /// <summary>Longest next-steps text for one activity, in characters.</summary>
    public int MaxNextStepsLength { get; set; } = 2_000;

    public string LinkFor(string token) => $"{PublicBaseUrl.TrimEnd('/')}/api/forms/{token}";
}
