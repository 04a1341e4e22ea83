using KaWorkflow.Hosting;

namespace KaWorkflow.Tests.Hosting;

/// <summary>A rehearsal's clock that waits for work: it stops at the earliest moment an orchestration said, and names
/// each sleeper once when their moment comes.</summary>
[Trait("Kind", "Pure")]
public sealed class AdjustableClockTests
{
    private static readonly DateTimeOffset Monday = new(2020, 7, 6, 8, 0, 0, TimeSpan.Zero);

    /// <summary>At 36,000× an hour of business time is 0.1 s of wall time: the clock reaches it at once, then
    /// waits.</summary>
    private static AdjustableClock Rehearsal()
    {
        var clock = new AdjustableClock();
        clock.RunScaled(Monday, 36_000, waitForWork: true);
        return clock;
    }

    private static IReadOnlyList<string> WaitForWaking(AdjustableClock clock)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < until)
        {
            if (clock.TakeWaking() is { Count: > 0 } waking) return waking;
            Thread.Sleep(5);
        }
        return [];
    }

    [Fact]
    public void Business_time_stops_at_the_earliest_sleeper_who_is_named_once_and_moves_on_when_they_say_again()
    {
        var clock = Rehearsal();
        clock.Expect("round|a", Monday.AddHours(1));
        clock.Expect("round|b", Monday.AddHours(2));

        Assert.Equal(["round|a"], WaitForWaking(clock));
        Assert.Equal(Monday.AddHours(1), clock.GetUtcNow());
        Assert.Empty(clock.TakeWaking());

        clock.Expect("round|a", Monday.AddHours(3));
        Assert.Equal(["round|b"], WaitForWaking(clock));
        Assert.Equal(Monday.AddHours(2), clock.GetUtcNow());
    }

    [Fact]
    public void One_that_says_it_acts_now_holds_the_clock_but_is_not_woken()
    {
        var clock = Rehearsal();
        clock.Expect("round|a", clock.GetUtcNow());
        clock.Expect("round|b", Monday.AddHours(1));

        Thread.Sleep(200); // two business hours, were the clock not held
        Assert.Empty(clock.TakeWaking());
        Assert.True(clock.GetUtcNow() < Monday.AddHours(1));
    }

    [Fact]
    public void A_sleeper_said_long_before_its_moment_still_holds_the_clock_when_it_comes()
    {
        var clock = Rehearsal();
        clock.Expect("round|a", Monday.AddHours(1));
        clock.Expect("round|b", Monday.AddHours(2));

        Assert.Equal(["round|a"], WaitForWaking(clock));
        clock.Expect("round|a", null); // done: only a change brings more
        Assert.Equal(["round|b"], WaitForWaking(clock));
        Assert.Equal(Monday.AddHours(2), clock.GetUtcNow());
    }

    [Fact]
    public void Elsewhere_expectations_do_nothing()
    {
        var clock = new AdjustableClock();
        clock.Set(Monday);
        clock.Expect("round|a", Monday);
        Assert.Empty(clock.TakeWaking());
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(Monday.AddHours(1), clock.GetUtcNow());
    }

    [Fact]
    public void The_real_clock_moved_on_runs_on_at_the_walls_pace_from_there()
    {
        var clock = new AdjustableClock();
        var before = DateTimeOffset.UtcNow;
        clock.Advance(TimeSpan.FromDays(3));
        var first = clock.GetUtcNow();
        Assert.InRange(first - before, TimeSpan.FromDays(3), TimeSpan.FromDays(3) + TimeSpan.FromSeconds(5));
        Thread.Sleep(50);
        Assert.True(clock.GetUtcNow() > first); // still running, not stopped
        Assert.Equal(1, clock.Scale);
    }

    [Fact]
    public void Skipping_idle_time_goes_straight_to_the_earliest_moment_said_and_holds_there()
    {
        var clock = new AdjustableClock();
        clock.RunScaled(Monday, 1, waitForWork: true, skipIdle: true); // at the wall's pace, a day would take a day
        clock.Expect("round|a", Monday.AddDays(1));
        clock.Expect("people", Monday.AddDays(2));

        Assert.Equal(["round|a"], WaitForWaking(clock));
        Assert.Equal(Monday.AddDays(1), clock.GetUtcNow());
        clock.Expect("round|a", null);
        Assert.Equal(["people"], WaitForWaking(clock));
        Assert.Equal(Monday.AddDays(2), clock.GetUtcNow());
    }

    [Fact]
    public void With_nothing_said_a_clock_that_skips_idle_time_runs_at_its_scale()
    {
        var clock = new AdjustableClock();
        clock.RunScaled(Monday, 1, waitForWork: true, skipIdle: true);
        Assert.InRange(clock.GetUtcNow() - Monday, TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData(true, true, true)] // skipping idle time: a scaled timer would fire at the wrong business time
    [InlineData(true, false, false)] // waiting for work at the scale: the orchestrations' own timers are right
    [InlineData(false, false, false)]
    public void Only_a_rehearsal_that_skips_idle_time_wakes_the_sleepers_itself(bool waitForWork, bool skipIdle,
        bool wakes)
    {
        var clock = new AdjustableClock();
        clock.RunScaled(Monday, 36_000, waitForWork, skipIdle);
        Assert.Equal(wakes, clock.WakesSleepers);
        clock.Set(Monday);
        Assert.False(clock.WakesSleepers); // stopped and moved by hand: whoever moves it tells the orchestrations
    }

    [Fact]
    public void On_a_clock_moved_by_hand_one_sleeps_until_business_time_reaches_the_moment_they_said()
    {
        var clock = new AdjustableClock();
        clock.Set(Monday);
        Assert.False(clock.Sleeps("round|a")); // said nothing: it may have work

        clock.Expect("round|a", Monday.AddHours(2));
        Assert.True(clock.Sleeps("round|a"));
        clock.Advance(TimeSpan.FromHours(2));
        Assert.False(clock.Sleeps("round|a"));

        clock.Expect("round|a", null); // only a change brings more, and a change is told
        Assert.False(clock.Sleeps("round|a"));
    }

    [Fact]
    public void One_told_to_act_while_reading_does_not_sleep_on_what_that_reading_said()
    {
        var clock = new AdjustableClock();
        clock.Set(Monday);
        var said = clock.Said;
        clock.Expect("round|a", Monday); // told meanwhile: the reading may not have seen why
        clock.Expect("round|a", Monday.AddDays(1), readSince: said);
        Assert.False(clock.Sleeps("round|a"));

        said = clock.Said;
        clock.Expect("round|a", Monday.AddDays(1), readSince: said); // the next reading, with nothing told since
        Assert.True(clock.Sleeps("round|a"));
    }

    [Fact]
    public void The_real_clock_keeps_no_moments()
    {
        var clock = new AdjustableClock();
        clock.Expect("round|a", DateTimeOffset.UtcNow.AddDays(1));
        Assert.False(clock.Sleeps("round|a"));
    }
}
