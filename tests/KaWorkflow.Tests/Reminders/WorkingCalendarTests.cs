using KaWorkflow.Reminders;

namespace KaWorkflow.Tests.Reminders;

[Trait("Kind", "Pure")]
public sealed class WorkingCalendarTests
{
    private readonly WorkingCalendar _calendar = WorkingCalendar.Default;

    [Theory]
    [InlineData("2024-05-06")]
    [InlineData("2025-12-26")]
    [InlineData("2020-05-08")]
    [InlineData("2022-09-19")]
    [InlineData("2026-12-28")]
    [InlineData("2030-08-26")]
    public void Known_bank_holidays_are_not_working_days(string date) =>
        Assert.False(_calendar.IsWorkingDay(DateOnly.Parse(date)));

    [Fact]
    public void The_data_file_covers_2019_to_2030_with_at_least_eight_holidays_a_year()
    {
        Assert.Equal(new DateOnly(2019, 1, 1), _calendar.First);
        Assert.Equal(new DateOnly(2030, 12, 26), _calendar.Last);
        for (var year = 2019; year <= 2030; year++)
            Assert.True(_calendar.Holidays.Count(d => d.Year == year) >= 8, $"{year} has too few holidays");
    }

    [Fact]
    public void Good_Friday_and_Easter_Monday_match_the_computed_date_of_Easter_every_year()
    {
        for (var year = 2019; year <= 2030; year++)
        {
            var easter = EasterSunday(year);
            Assert.Contains(easter.AddDays(-2), _calendar.Holidays);
            Assert.Contains(easter.AddDays(1), _calendar.Holidays);
        }
    }

    [Fact]
    public void Weekends_are_not_working_days() =>
        Assert.False(_calendar.IsWorkingDay(new DateOnly(2020, 7, 11)));

    [Fact]
    public void Adding_working_days_skips_weekends_and_holidays()
    {
        Assert.Equal(new DateOnly(2020, 7, 7), _calendar.AddWorkingDays(new DateOnly(2020, 6, 30), 5));
        // Thursday 24 December 2020 plus one working day: Friday 25 and Monday 28 are holidays.
        Assert.Equal(new DateOnly(2020, 12, 29), _calendar.AddWorkingDays(new DateOnly(2020, 12, 24), 1));
        Assert.Equal(new DateOnly(2020, 12, 24), _calendar.AddWorkingDays(new DateOnly(2020, 12, 29), -1));
    }

    [Fact]
    public void London_wall_clock_times_respect_summer_time()
    {
        Assert.Equal(TimeSpan.FromHours(1), WorkingCalendar.AtLocal(new DateOnly(2020, 7, 7), new TimeOnly(9, 0)).Offset);
        Assert.Equal(TimeSpan.Zero, WorkingCalendar.AtLocal(new DateOnly(2021, 1, 7), new TimeOnly(9, 0)).Offset);
    }

    /// <summary>The anonymous Gregorian computus (Meeus/Jones/Butcher), independent of the data file.</summary>
    private static DateOnly EasterSunday(int y)
    {
        int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
        int h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7, m = (a + 11 * h + 22 * l) / 451;
        return new DateOnly(y, (h + l - 7 * m + 114) / 31, (h + l - 7 * m + 114) % 31 + 1);
    }
}
