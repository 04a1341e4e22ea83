using KaWorkflow.Register;
using KaWorkflow.Rounds;

namespace KaWorkflow.Form;

/// <summary>How a banner at the top of the form reads: success (saved), important (for information) or a
/// problem.</summary>
public enum BannerKind { Success, Important, Problem }

/// <summary>Everything the form page shows: the return, what is in each field, errors and any banner.</summary>
/// <param name="Actor">Who is using the link: the lead, or their delegate.</param>
/// <param name="JustSaved">The page follows a successful save, so the browser's unsaved copy can go.</param>
/// <param name="Ticket">The save ticket the page carries back (<see cref="SaveTickets"/>).</param>
public sealed record FormView(
    RoundHeader Round, LeadReturn Return, IReadOnlyList<ReturnItem> Items, string Token, string AntiforgeryToken,
    IReadOnlyDictionary<string, TypedAnswer> Values, IReadOnlyDictionary<string, string> Errors,
    string? Banner = null, BannerKind BannerKind = BannerKind.Important, bool ReadOnly = false,
    IReadOnlyList<ReturnItem>? SavedElsewhere = null, int? PostedVersion = null, string? Actor = null,
    IReadOnlyList<ReturnVersion>? Versions = null, bool JustSaved = false,
    IReadOnlyDictionary<string, string>? DelegateErrors = null, string? DelegateName = null, string? DelegateEmail = null,
    string? Ticket = null)
{
    /// <summary>Each activity's statuses in the quarters before this one, by code (none on a page shown again after
    /// a refused save).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<History.QuarterEntry>> Trends { get; init; } =
        new Dictionary<string, IReadOnlyList<History.QuarterEntry>>();

    /// <summary>What each field shows when nothing has been typed: this quarter's saved answer, else last
    /// quarter's.</summary>
    public static Dictionary<string, TypedAnswer> Prefill(IEnumerable<ReturnItem> items) => items.ToDictionary(
        i => i.Code,
        i => i.Answered
            ? new TypedAnswer(i.Status?.ToString(), i.Progress, i.NextSteps)
            : new TypedAnswer(i.PreviousStatus?.ToString(), i.PreviousProgress, i.PreviousNextSteps));

    /// <summary>Whether an activity's fields still hold last quarter's answer as it was filled in: a lead could
    /// otherwise submit last quarter's text without meaning to.</summary>
    public bool CarriedOver(ReturnItem item) =>
        !item.Excused && item.PreviousStatus is not null && Values.TryGetValue(item.Code, out var v)
        && Same(v.Status, item.PreviousStatus.ToString()) && Same(v.Progress, item.PreviousProgress)
        && Same(v.NextSteps, item.PreviousNextSteps);

    /// <summary>"7 of 9 answers are unchanged from last quarter", or null when none is.</summary>
    public string? CarriedOverSummary()
    {
        var answerable = Items.Count(i => !i.Excused);
        var unchanged = Items.Count(CarriedOver);
        return unchanged == 0 ? null
            : $"{unchanged} of {answerable} {(answerable == 1 ? "answer is" : "answers are")} unchanged from last " +
              "quarter. Check each still holds before you submit.";
    }

    // Browsers send line breaks as CR LF; what was stored may have LF alone.
    private static bool Same(string? typed, string? previous) =>
        (typed ?? "").Replace("\r\n", "\n").Trim() == (previous ?? "").Replace("\r\n", "\n").Trim();

    /// <summary>Whether the person using the link is the lead (only they may name a delegate).</summary>
    public bool ByLead => Actor is null || Actor.Equals(Return.LeadEmail, StringComparison.OrdinalIgnoreCase);
}
