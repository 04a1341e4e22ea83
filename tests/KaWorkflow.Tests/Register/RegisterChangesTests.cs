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
}
