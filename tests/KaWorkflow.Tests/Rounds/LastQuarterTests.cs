using KaWorkflow.Register;
using KaWorkflow.Rounds;

namespace KaWorkflow.Tests.Rounds;

/// <summary>Where "last quarter" comes from for a new round: the latest finished round, else the register.</summary>
[Trait("Kind", "Pure")]
public sealed class LastQuarterTests
{
    private static KeyActivity Activity(string code, RagStatus? previous = null, string? progress = null) =>
        new(1, "Theme", null, code, "Title", "Ann", "ann@council.example", null, null, previous, progress, null);

    private static ReturnItem Answered(string code, RagStatus? status, string? progress, string? next) =>
        new("ann@council.example", code, 1, "Theme", null, "Title", null, null, null, null, null, status, progress, next);

    private static RoundHeader Round(string id, RoundStatus status) =>
        new(id, status, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 1);

    [Fact]
    public void The_last_rounds_answers_replace_the_registers_previous_columns()
    {
        var next = LastQuarter.Apply([Activity("KA.01.01", RagStatus.Red, "From the CSV")],
            [Answered("KA.01.01", RagStatus.Amber, "Q1 progress", "Q1 next")]);
        Assert.Equal((RagStatus.Amber, "Q1 progress", "Q1 next"),
            (next[0].PreviousStatus, next[0].PreviousProgress, next[0].PreviousNextSteps));
    }

    [Fact]
    public void A_new_or_unanswered_activity_keeps_the_registers_previous_columns()
    {
        var next = LastQuarter.Apply([Activity("KA.01.01", RagStatus.Red, "From the CSV"), Activity("KA.09.09")],
            [Answered("KA.01.01", null, null, null)]);
        Assert.Equal((RagStatus.Red, "From the CSV"), (next[0].PreviousStatus, next[0].PreviousProgress));
        Assert.Null(next[1].PreviousStatus);
    }

    [Fact]
    public void The_latest_finished_round_before_this_one_counts_not_an_open_or_a_later_one()
    {
        RoundHeader[] rounds = [Round("2020-21-Q1", RoundStatus.Complete), Round("2020-21-Q2", RoundStatus.Closed),
            Round("2020-21-Q3", RoundStatus.Open), Round("2020-21-Q4", RoundStatus.Complete)];
        Assert.Equal("2020-21-Q2", LastQuarter.LatestFinished(rounds, "2020-21-Q4"));
        Assert.Equal("2020-21-Q4", LastQuarter.LatestFinished(rounds, null));
        Assert.Null(LastQuarter.LatestFinished(rounds, "2020-21-Q1"));
    }
}
