using KaWorkflow.Register;

namespace KaWorkflow.Tests.Register;

[Trait("Kind", "Pure")]
public sealed class RegisterChangesTests
{
    private static KeyActivity A(string code, string lead, string title = "Title") =>
        new(0, "T", null, code, title, lead, lead.ToLowerInvariant() + "@x.example", null, null, null, null, null);

    [Fact]
    public void An_upload_is_compared_by_code_into_added_removed_moved_and_edited()
    {
        var current = new[] { A("KA.1", "Ann"), A("KA.2", "Ann"), A("KA.3", "Bob"), A("KA.4", "Bob") };
        var next = new[] { A("KA.1", "Ann") with { Order = 5 }, A("KA.2", "Bob"), A("KA.4", "Bob", "New title"), A("KA.5", "Cy") };
        var changes = RegisterChanges.Between(current, next);
        Assert.Equal(["KA.5"], changes.Added.Select(a => a.Code));
        Assert.Equal(["KA.3"], changes.Removed.Select(a => a.Code));
        Assert.Equal([new MovedActivity("KA.2", "Title", "Ann", "Bob")], changes.Moved);
        Assert.Equal(["KA.4"], changes.Edited.Select(a => a.Code)); // moving up or down the register alone is no change
        Assert.True(RegisterChanges.Between(current, current).None);
    }

    [Fact]
    public void A_new_address_under_the_same_name_is_an_edit_of_that_address_not_a_move()
    {
        var current = new[] { A("KA.1", "Head of Finance") with { LeadEmail = "head@x.example" } };
        var next = new[] { current[0] with { LeadEmail = "finance.head@x.example" } };
        var changes = RegisterChanges.Between(current, next);
        Assert.Empty(changes.Moved);
        var edit = Assert.Single(changes.Edited);
        Assert.Equal(["Lead email: head@x.example → finance.head@x.example"], edit.Changes);
    }

    [Fact]
    public void Every_change_to_an_activity_is_said_in_words()
    {
        var old = A("KA.1", "Ann") with { Team = "Finance", PreviousStatus = RagStatus.Green, PreviousProgress = "a" };
        var now = old with
        {
            Theme = "U", Objective = "CO 2", Title = "Renamed", Team = null, Portfolio = "Strategy",
            EscalationEmail = "boss@x.example", PreviousStatus = RagStatus.Red, PreviousProgress = "b",
            PreviousNextSteps = "c",
        };
        Assert.Equal([
            "Theme: T → U", "Objective: none → CO 2", "Activity: Title → Renamed", "Team: Finance → none",
            "Portfolio: none → Strategy", "Escalation contact: none → boss@x.example", "Previous status: Green → Red",
            "Previous progress edited", "Previous next steps edited",
        ], RegisterChanges.Differences(old, now));
        Assert.Empty(RegisterChanges.Differences(old, old with { Order = 9 }));
    }

    [Fact]
    public void An_address_at_a_domain_no_other_lead_uses_is_flagged()
    {
        var register = new[] { A("KA.1", "Ann"), A("KA.2", "Bob"), A("KA.3", "Cy") with { LeadEmail = "cy@x.exmaple" } };
        Assert.Equal(["cy@x.exmaple"], RegisterChanges.Between([], register).LoneDomains);
        Assert.Empty(RegisterChanges.LoneDomainsIn(register[..2])); // two leads: no majority to compare with
        Assert.Empty(RegisterChanges.LoneDomainsIn([A("KA.1", "Ann"), A("KA.2", "Bob"), A("KA.3", "Cy")]));
    }
}
