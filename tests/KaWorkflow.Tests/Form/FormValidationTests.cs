using KaWorkflow.Form;
using KaWorkflow.Register;
using KaWorkflow.Rounds;

namespace KaWorkflow.Tests.Form;

[Trait("Kind", "Pure")]
public sealed class FormValidationTests
{
    private static readonly FormOptions Limits = new();
    private static readonly ReturnItem[] Items =
    [
        new("a@council.example", "KA.01.01", 0, "T", null, "One", null, null, RagStatus.Green, null, null),
        new("a@council.example", "KA.01.02", 1, "T", null, "Two", null, null, null, null, null),
    ];

    private static Dictionary<string, TypedAnswer> Typed(params (string Code, string? Status, string? Progress)[] answers) =>
        answers.ToDictionary(a => a.Code, a => new TypedAnswer(a.Status, a.Progress, null));

    [Fact]
    public void Submitting_needs_a_status_for_every_activity()
    {
        var verdict = FormValidation.Validate(Items, Typed(("KA.01.01", "Green", "Fine")), submit: true, Limits);
        Assert.Equal("Choose a status for KA.01.02", verdict.Errors["status|KA.01.02"]);
    }

    [Fact]
    public void A_draft_may_leave_activities_unanswered() =>
        Assert.True(FormValidation.Validate(Items, Typed(("KA.01.01", "Green", null)), submit: false, Limits).Ok);

    [Theory]
    [InlineData("Amber")]
    [InlineData("Red")]
    public void Submitting_amber_or_red_without_an_explanation_is_refused(string status)
    {
        var verdict = FormValidation.Validate(Items, Typed(("KA.01.01", status, "  "), ("KA.01.02", "Green", "ok")), submit: true, Limits);
        Assert.Contains("corrective action", verdict.Errors["progress|KA.01.01"]);
    }

    [Theory]
    [InlineData("Purple")]
    [InlineData("3")]
    [InlineData("green ")]
    public void A_status_outside_the_five_is_refused_even_in_a_draft(string status) =>
        Assert.True(FormValidation.Validate(Items, Typed(("KA.01.01", status, null)), submit: false,
            Limits).Errors.ContainsKey("status|KA.01.01"));

    [Fact]
    public void Text_over_the_stated_limit_is_refused_with_its_length()
    {
        var verdict = FormValidation.Validate(Items, Typed(("KA.01.01", "Green", new string('x',
            Limits.MaxProgressLength + 1))), submit: false, Limits);
        Assert.Contains("4,001", verdict.Errors["progress|KA.01.01"]);
    }

    [Fact]
    public void Markup_is_kept_exactly_as_typed()
    {
        var verdict = FormValidation.Validate(Items, Typed(("KA.01.01", "Green", "<script>alert(1)</script> & more"),
            ("KA.01.02", "Complete", "x")), submit: true, Limits);
        Assert.True(verdict.Ok);
        Assert.Equal("<script>alert(1)</script> & more", verdict.Answers["KA.01.01"].Progress);
    }

    [Theory]
    [InlineData("Green")]
    [InlineData("Complete")]
    [InlineData("Deferred")]
    public void Green_complete_and_deferred_activities_may_be_submitted_without_progress(string status) =>
        Assert.True(FormValidation.Validate(Items, Typed(("KA.01.01", status, null), ("KA.01.02", "Green", null)),
            submit: true, Limits).Ok);

    [Fact]
    public void Pasted_formatting_is_saved_as_plain_text_but_stops_a_submission_until_the_lead_has_seen_it()
    {
        var pasted = "<ul><li>One</li><li>Two</li></ul>";
        var draft = FormValidation.Validate(Items, Typed(("KA.01.01", "Green", pasted)), submit: false, Limits);
        Assert.Equal("- One\n- Two", draft.Answers["KA.01.01"].Progress);
        var submit = FormValidation.Validate(Items, Typed(("KA.01.01", "Green", pasted), ("KA.01.02", "Green", null)),
            submit: true, Limits);
        Assert.Contains("Formatting pasted", submit.Errors[FormValidation.ProgressField("KA.01.01")]);
    }
}
