using KaWorkflow.History;
using KaWorkflow.Register;
using KaWorkflow.Rounds;

namespace KaWorkflow.Tests.History;

/// <summary>Each Key Activity's story across quarters, from what the rounds recorded, bad data included.</summary>
[Trait("Kind", "Pure")]
public sealed class ActivityHistoryTests
{
    private static readonly DateTimeOffset Opened = new(2024, 7, 8, 8, 0, 0, TimeSpan.Zero);

    private static RoundRecord Round(string id, RoundStatus status,
        IEnumerable<(string Lead, ReturnStatus Status)> leads, params ReturnItem[] items) =>
        new(new RoundHeader(id, status, Opened, Opened.AddDays(14), 1),
            leads.Select(l => new LeadReturn
            {
                LeadKey = l.Lead, LeadName = "Name of " + l.Lead, LeadEmail = l.Lead, Status = l.Status,
                ActivityCount = items.Count(i => i.LeadKey == l.Lead),
                SubmittedAt = l.Status == ReturnStatus.Submitted ? Opened.AddDays(3) : null,
                ExcusedReason = l.Status == ReturnStatus.Excused ? "On leave" : null,
            }).ToList(),
            items);

    private static ReturnItem Item(string lead, string code, RagStatus? status, string title = "Housing",
        string? excused = null) =>
        new(lead, code, 1, "Theme", null, title, "Team", null, null, null, null, status,
            status is null ? null : "Progress", status is null ? null : "Next", ExcusedReason: excused);

    [Fact]
    public void A_story_follows_the_code_across_rounds_under_its_latest_title_and_a_retired_one_stays()
    {
        var stories = ActivityHistory.Of([
            Round("2024-25-Q1", RoundStatus.Complete, [("a", ReturnStatus.Submitted)],
                Item("a", "KA.01", RagStatus.Green, "Old title"), Item("a", "KA.02", RagStatus.Amber)),
            Round("2024-25-Q2", RoundStatus.Complete, [("b", ReturnStatus.Submitted)],
                Item("b", "KA.01", RagStatus.Red, "New title")),
        ]);

        var moved = stories.Single(s => s.Code == "KA.01");
        Assert.Equal("New title", moved.Title);
        Assert.Equal(["2024-25-Q1", "2024-25-Q2"], moved.Quarters.Select(q => q.RoundId));
        Assert.Equal(["Name of a", "Name of b"], moved.Quarters.Select(q => q.LeadName)); // a change of lead
        Assert.Equal("Old title", moved.Quarters[0].Title);
        Assert.Single(stories.Single(s => s.Code == "KA.02").Quarters); // retired after Q1, still readable
    }

    [Fact]
    public void A_missing_return_an_excused_activity_and_an_excused_return_say_so()
    {
        var story = ActivityHistory.Of([
            Round("2024-25-Q1", RoundStatus.Closed, [("a", ReturnStatus.NoUpdate)], Item("a", "KA.01", null)),
            Round("2024-25-Q2", RoundStatus.Complete, [("a", ReturnStatus.Submitted)],
                Item("a", "KA.01", null, excused: "Paused by Cabinet")),
            Round("2024-25-Q3", RoundStatus.Complete, [("a", ReturnStatus.Excused)], Item("a", "KA.01", null)),
        ]).Single();

        Assert.Equal(["No update", "Excused: Paused by Cabinet", "Excused: On leave"],
            story.Quarters.Select(q => q.StatusWords));
        Assert.All(story.Quarters, q => Assert.Null(q.Progress));
    }

    [Fact]
    public void An_answer_still_in_hand_in_an_open_round_is_left_out_until_it_is_submitted()
    {
        RoundRecord Q2(ReturnStatus status) => Round("2024-25-Q2", RoundStatus.Open, [("a", status)],
            Item("a", "KA.01", RagStatus.Red));
        var q1 = Round("2024-25-Q1", RoundStatus.Complete, [("a", ReturnStatus.Submitted)],
            Item("a", "KA.01", RagStatus.Green));

        Assert.Single(ActivityHistory.Of([q1, Q2(ReturnStatus.Draft)]).Single().Quarters);
        var submitted = ActivityHistory.Of([q1, Q2(ReturnStatus.Submitted)]).Single();
        Assert.Equal([RagStatus.Green, RagStatus.Red], submitted.Quarters.Select(q => q.Status));
        Assert.Equal(Opened.AddDays(3), submitted.Quarters[1].AnsweredAt);
    }

    [Fact]
    public void A_round_reopened_after_its_report_counts_as_it_now_stands()
    {
        // Reopened: the lead's return is a draft again, so only the other lead's answer stands for now.
        var reopened = Round("2024-25-Q1", RoundStatus.Open, [("a", ReturnStatus.Draft), ("b", ReturnStatus.Submitted)],
            Item("a", "KA.01", RagStatus.Green), Item("b", "KA.02", RagStatus.Amber));
        var stories = ActivityHistory.Of([reopened]);
        Assert.Equal(["KA.02"], stories.Select(s => s.Code));
    }

    [Fact]
    public void A_round_still_opening_records_nothing()
    {
        var opening = Round("2024-25-Q1", RoundStatus.Opening, [("a", ReturnStatus.NotOpened)],
            Item("a", "KA.01", null));
        Assert.Empty(ActivityHistory.Of([opening]));
    }

    [Theory]
    [InlineData("Red,Amber", true, true)] // better, and still behind plan
    [InlineData("Amber,Amber", true, false)]
    [InlineData("Red,Green", false, true)]
    [InlineData("Amber,Red", true, false)]
    [InlineData("Green,Amber", false, false)]
    [InlineData("Amber", false, false)]
    [InlineData("Green,Complete", false, true)]
    [InlineData("Red,Deferred", false, false)]
    [InlineData("Red,Amber,Green", false, true)]
    [InlineData("Red,Red,Amber", true, true)]
    [InlineData("Red,none", false, false)]
    public void Struggling_is_red_or_amber_two_quarters_running_and_improved_is_better_than_the_quarter_before(
        string statuses, bool struggling, bool improved)
    {
        var rounds = statuses.Split(',').Select((s, n) => Round($"2024-25-Q{n + 1}", RoundStatus.Complete,
            [("a", s == "none" ? ReturnStatus.NoUpdate : ReturnStatus.Submitted)],
            Item("a", "KA.01", s == "none" ? null : Enum.Parse<RagStatus>(s))));
        var story = ActivityHistory.Of(rounds).Single();

        Assert.Equal(struggling, story.StrugglingFor(2));
        Assert.Equal(improved, story.Improved);
        Assert.Equal(struggling, ActivityHistory.Where([story], ActivityHistory.Filter.Struggling).Count == 1);
        Assert.Equal(improved, ActivityHistory.Where([story], ActivityHistory.Filter.Improved).Count == 1);
    }

    [Fact]
    public void The_history_download_has_a_row_a_quarter_and_defuses_formula_cells()
    {
        var stories = ActivityHistory.Of([
            Round("2024-25-Q1", RoundStatus.Complete, [("a", ReturnStatus.Submitted)],
                Item("a", "KA.01", RagStatus.Green, "=HYPERLINK(\"x\")")),
        ]);
        var lines = HistoryCsv.Write(stories).TrimEnd().Split(Environment.NewLine);
        Assert.Equal("Round,Code,Title,Status,Progress,Next steps,Lead,Team,Submitted", lines[0]);
        Assert.Equal("2024-25-Q1,KA.01,\"'=HYPERLINK(\"\"x\"\")\",Green,Progress,Next,Name of a,Team,2024-07-11 09:00",
            lines[1]);
    }
}
