using Azure;
using KaWorkflow.Mail;
using KaWorkflow.Rounds;

namespace KaWorkflow.Form;

/// <summary>A page to send back: status code and HTML, or a redirect.</summary>
public sealed record FormResponse(int Status, string? Html, string? RedirectTo = null);

/// <summary>Shows and saves a lead's form through its link: resolve the link, load the return, decide, commit.</summary>
public sealed class FormService(FormLinks links, RoundStore store, FormOptions options, MailOptions mail, TimeProvider clock, ILogger<FormService> log)
{
    public async Task<FormResponse> ShowAsync(string token, string? saved, CancellationToken ct)
    {
        var (grant, lead, problem) = await ResolveAsync(token, ct);
        if (problem is not null) return problem;
        var (header, ret, items) = lead!.Value;
        if (RoundDecisions.Opened(ret, clock.GetUtcNow()) is { } opened)
        {
            try { await store.CommitAsync(grant!.RoundId, [opened], ct: ct); ret = opened.Returns![0]; }
            catch (RequestFailedException e) when (e.Status == 412) { /* another tab moved first; nothing lost */ }
        }
        var banner = saved switch
        {
            "submitted" => "Thank you: your update has been submitted. You can still amend it until the round closes.",
            "draft" => "Your draft has been saved. Come back to this link to finish it.",
            _ => header.Status == RoundStatus.Open ? null : "This round has closed: your return is shown as it was submitted.",
        };
        return new FormResponse(200, FormPage.Render(new FormView(header, ret, items, token, FormPage.Prefill(items), new Dictionary<string, string>(),
            banner, ReadOnly: header.Status != RoundStatus.Open), options));
    }

    public async Task<FormResponse> SaveAsync(string token, IFormCollection form, CancellationToken ct)
    {
        var (grant, lead, problem) = await ResolveAsync(token, ct);
        if (problem is not null) return problem;
        var (header, ret, items) = lead!.Value;
        var submit = form["action"] == "submit";
        var typed = items.ToDictionary(i => i.Code, i => new TypedAnswer(
            form[FormValidation.StatusField(i.Code)].FirstOrDefault(),
            form[FormValidation.ProgressField(i.Code)].FirstOrDefault(),
            form[FormValidation.NextField(i.Code)].FirstOrDefault()));
        int? postedVersion = int.TryParse(form["version"], out var pv) ? pv : null;
        FormResponse Again(int status, IReadOnlyDictionary<string, string> errors, string? banner, IReadOnlyList<ReturnItem>? elsewhere = null, int? version = null) =>
            new(status, FormPage.Render(new FormView(header, ret, items, token, typed, errors, banner, SavedElsewhere: elsewhere,
                PostedVersion: version ?? postedVersion), options));

        var verdict = FormValidation.Validate(items, typed, submit, options);
        if (!verdict.Ok) return Again(400, verdict.Errors, null);
        if (postedVersion is not null && postedVersion != ret.Version)
            return Again(409, new Dictionary<string, string>(),
                $"This return was saved elsewhere (by {ret.SavedBy} at {ret.SavedAt:HH:mm}) after you opened it. Your text is kept below and the other version is shown beside each activity: check them, then save again to keep yours.",
                items, ret.Version);

        var now = clock.GetUtcNow();
        var outcome = RoundDecisions.Save(header, ret, items, verdict.Answers, submit, now, ret.LeadEmail);
        if (outcome.Change is null) return Again(409, new Dictionary<string, string>(), outcome.RefusedBecause);
        try
        {
            await store.CommitAsync(grant!.RoundId, [outcome.Change], ct: ct);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            var fresh = await store.LoadLeadAsync(grant!.RoundId, grant.LeadKey, ct);
            return Again(409, new Dictionary<string, string>(), "This return was changed in another window while you were saving. Your text is kept below; check it against the other version and save again.",
                fresh?.Items, fresh?.Return.Version);
        }
        catch (Exception e) when (e is RequestFailedException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            log.LogError(e, "Saving the return of {Lead} in {Round} failed", grant!.LeadKey, grant.RoundId);
            return Again(503, new Dictionary<string, string>(), "Sorry, your update could not be saved just now. Nothing you typed is lost: it is all below. Please try again in a minute.");
        }
        if (outcome.FirstSubmission)
        {
            try { await store.NudgeAsync(grant.RoundId, now, ct); }
            catch (Exception e) when (e is RequestFailedException or HttpRequestException)
            {
                log.LogWarning(e, "Could not nudge round {Round}; its next timer will pick the submission up", grant.RoundId);
            }
        }
        return new FormResponse(303, null, $"/api/forms/{token}?saved={(submit ? "submitted" : "draft")}");
    }

    private async Task<(LinkGrant?, (RoundHeader, LeadReturn, List<ReturnItem>)?, FormResponse?)> ResolveAsync(string token, CancellationToken ct)
    {
        var grant = await links.ResolveAsync(token, ct);
        var lead = grant is null ? null : await store.LoadLeadAsync(grant.RoundId, grant.LeadKey, ct);
        if (grant is null || lead is null)
            return (null, null, new FormResponse(404, FormPage.Problem("This link is not recognised",
                "The link may have been copied incompletely. Check it against your e-mail.", mail.PerformanceTeam)));
        if (lead.Value.Return.TokenGeneration != grant.Generation)
            return (null, null, new FormResponse(410, FormPage.Problem("This link has been replaced",
                "A newer link was sent to you by e-mail, and this one no longer works. Please use the latest e-mail.", mail.PerformanceTeam)));
        return (grant, lead, null);
    }
}
