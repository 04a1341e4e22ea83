using KaWorkflow.Rounds;

namespace KaWorkflow.Tests.Rounds;

[Trait("Kind", "Pure")]
public sealed class QuarterTests
{
    [Theory]
    [InlineData("2020-04-01", "2020-21-Q1")]
    [InlineData("2020-06-30", "2020-21-Q1")]
    [InlineData("2020-07-01", "2020-21-Q2")]
    [InlineData("2020-12-31", "2020-21-Q3")]
    [InlineData("2021-01-01", "2020-21-Q4")]
    [InlineData("2021-03-31", "2020-21-Q4")]
    [InlineData("2099-04-01", "2099-00-Q1")]
    public void The_financial_year_quarter_of_a_date_follows_the_UK_calendar(string date, string roundId) =>
        Assert.Equal(roundId, Quarter.Containing(DateOnly.Parse(date)).RoundId);

    [Fact]
    public void A_quarter_knows_its_dates_and_neighbours()
    {
        var q = Quarter.Parse("2024-25-Q4");
        Assert.Equal(new DateOnly(2025, 1, 1), q.Start);
        Assert.Equal(new DateOnly(2025, 3, 31), q.End);
        Assert.Equal("2025-26-Q1", q.Next.RoundId);
        Assert.Equal("2024-25-Q3", q.Previous.RoundId);
        Assert.Equal("Quarter 4 (2024-25)", q.Title);
    }

    [Theory]
    [InlineData("2024-26-Q1")]
    [InlineData("2024-25-Q5")]
    [InlineData("2024-25Q1")]
    [InlineData("../2024-25-Q1")]
    [InlineData("")]
    public void Malformed_round_ids_are_refused(string id) => Assert.False(Quarter.TryParse(id, out _));
}
