using KaWorkflow.Rounds;

namespace KaWorkflow.Tests.Rounds;

/// <summary>How long an orchestration sleeps before looking again: business time to wall time on the round's
/// clock.</summary>
[Trait("Kind", "Pure")]
public sealed class RoundOrchestrationTests
{
    private static readonly DateTimeOffset Now = new(2020, 7, 7, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void On_the_real_clock_a_lead_sleeps_until_their_next_step() =>
        Assert.Equal(TimeSpan.FromHours(3), Orchestrations.Sleep(Now, Now.AddHours(3), scale: 1));

    [Fact]
    public void On_a_clock_running_a_day_a_second_a_day_ahead_is_a_second_away() =>
        Assert.Equal(TimeSpan.FromSeconds(1), Orchestrations.Sleep(Now, Now.AddDays(1), scale: 86_400));

    [Fact]
    public void A_due_time_already_past_means_no_sleep() =>
        Assert.Equal(TimeSpan.Zero, Orchestrations.Sleep(Now, Now.AddMinutes(-5), scale: 1));

    [Fact]
    public void An_orchestration_never_sleeps_more_than_a_day_before_looking_again() =>
        Assert.Equal(Orchestrations.LongestSleep, Orchestrations.Sleep(Now, Now.AddDays(40), scale: 1));

    [Fact]
    public void With_nothing_due_a_lead_sleeps_the_longest_and_waits_for_a_change() =>
        Assert.Equal(Orchestrations.LongestSleep, Orchestrations.Sleep(Now, null, scale: 1));

    [Fact]
    public void On_a_clock_moved_by_hand_no_timer_is_set_and_only_a_change_moves_a_lead_on() =>
        Assert.Null(Orchestrations.Sleep(Now, Now.AddMinutes(1), scale: 0));

    [Fact]
    public void A_leads_orchestration_has_an_id_of_its_round_and_lead() =>
        Assert.Equal("2020-21-Q1|a@council.example", Orchestrations.LeadInstanceId("2020-21-Q1", "a@council.example"));
}
