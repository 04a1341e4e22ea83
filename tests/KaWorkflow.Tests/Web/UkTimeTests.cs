using KaWorkflow.Web;

namespace KaWorkflow.Tests.Web;

[Trait("Kind", "Pure")]
public sealed class UkTimeTests
{
    private static readonly DateTimeOffset Now = new(2024, 10, 7, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, "Mon 7 Oct 09:00")]
    [InlineData(89, "Sat 4 Jan 08:00")] // winter: London is on GMT
    [InlineData(-89, "Wed 10 Jul 09:00")]
    [InlineData(91, "Mon 6 Jan 2025 08:00")]
    [InlineData(-91, "Mon 8 Jul 2024 09:00")]
    public void A_moment_within_three_months_goes_without_its_year_and_one_further_away_with_it(int days, string shown) =>
        Assert.Equal(shown, UkTime.Format(Now.AddDays(days), UkTime.Style.Moment, Now));

    [Fact]
    public void The_friendly_form_carries_the_year_too_and_without_a_today_nothing_changes()
    {
        Assert.Equal("9:00am on Monday 7 October", UkTime.Format(Now, UkTime.Style.Friendly, Now));
        Assert.Equal("9:00am on Tuesday 7 October 2025", UkTime.Format(Now.AddYears(1), UkTime.Style.Friendly, Now));
        Assert.Equal("Tue 7 Oct 09:00", UkTime.Format(Now.AddYears(1), UkTime.Style.Moment));
    }
}
