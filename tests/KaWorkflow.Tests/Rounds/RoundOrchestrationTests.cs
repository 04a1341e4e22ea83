using KaWorkflow.Rounds;

namespace KaWorkflow.Tests.Rounds;

/// <summary>How long a round sleeps between turns: business time to wall time on the round's clock.</summary>
[Trait("Kind", "Pure")]
public sealed class RoundOrchestrationTests
{
    private static readonly DateTimeOffset Now = new(2020, 7, 7, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void On_the_real_clock_a_round_sleeps_until_its_due_time() =>
        Assert.Equal(TimeSpan.FromHours(3), RoundOrchestration.Sleep(Now, Now.AddHours(3), scale: 1));

    [Fact]
    public void On_a_clock_running_a_day_a_second_a_day_ahead_is_a_second_away() =>
        Assert.Equal(TimeSpan.FromSeconds(1), RoundOrchestration.Sleep(Now, Now.AddDays(1), scale: 86_400));

    [Fact]
    public void A_due_time_already_past_means_no_sleep() =>
        Assert.Equal(TimeSpan.Zero, RoundOrchestration.Sleep(Now, Now.AddMinutes(-5), scale: 1));

    [Fact]
    public void A_round_never_sleeps_more_than_a_day_before_looking_again() =>
        Assert.Equal(RoundOrchestration.LongestSleep, RoundOrchestration.Sleep(Now, Now.AddDays(40), scale: 1));

    [Fact]
    public void With_nothing_due_a_round_sleeps_the_longest_and_waits_for_a_wake_up() =>
        Assert.Equal(RoundOrchestration.LongestSleep, RoundOrchestration.Sleep(Now, null, scale: 1));

    [Fact]
    public void On_a_clock_moved_by_hand_a_round_sets_no_timer_and_waits_for_a_wake_up() =>
        Assert.Null(RoundOrchestration.Sleep(Now, Now.AddMinutes(1), scale: 0));

    [Fact]
    public void Wake_up_numbers_are_the_time_they_were_raised_and_never_repeat()
    {
        var before = DateTime.UtcNow.Ticks;
        var numbers = Enumerable.Range(0, 1000).Select(_ => WakeNumbers.Next()).ToList();
        Assert.True(numbers[0] >= before);
        Assert.True(numbers.Zip(numbers.Skip(1)).All(p => p.Second > p.First));
    }

    [Fact]
    public void A_wake_up_raised_well_before_a_decision_is_seen_by_it_but_not_one_within_the_clocks_allowance()
    {
        var decided = new DateTime(2020, 7, 7, 9, 0, 0, DateTimeKind.Utc);
        Assert.True(WakeNumbers.SeenBy((decided - WakeNumbers.SkewAllowance).Ticks - 1, decided));
        Assert.False(WakeNumbers.SeenBy((decided - WakeNumbers.SkewAllowance).Ticks, decided));
        Assert.False(WakeNumbers.SeenBy(decided.AddSeconds(1).Ticks, decided));
    }
}
