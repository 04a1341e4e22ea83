using System.Net.Mail;
using Azure;
using KaWorkflow.Mail;
using KaWorkflow.Rounds;
using KaWorkflow.Storage;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KaWorkflow.Form;

/// <summary>A page to send back with its status code, or a redirect; and, for 429, when to try again.</summary>
public sealed record FormResponse(int Status, RazorComponentResult? Page, string? RedirectTo = null, TimeSpan? RetryAfter = null)
{
    /// <summary>A page component with its parameters, sent with <paramref name="status"/>.</summary>
    public static FormResponse Of<T>(int status, object parameters) where T : IComponent =>
        new(status, new RazorComponentResult<T>(parameters) { StatusCode = status });
}

/// <summary>What the endpoint knows about the request besides its fields: the link, the client, and the anti-forgery
/// check.</summary>
/// <param name="NewAntiforgeryToken">Makes a fresh token for a form the response shows; a save that redirects
/// shows none, and so spends nothing on one.</param>
/// <param name="AntiforgeryValid">Whether the posted token checked out (always true for a GET).</param>
public sealed record FormRequest(string Token, string Client, Func<string> NewAntiforgeryToken, bool AntiforgeryValid = true)
{
    public string AntiforgeryToken => NewAntiforgeryToken();
}

/// <summary>
/// Shows and saves a lead's form through its link: guard against guessing, resolve the link, load the return,
/// validate, decide, commit. Whatever goes wrong, a POST's text comes back to the person who typed it.
/// </summary>
public sealed class FormService(
    FormLinks links, RoundStore store, LinkGuard guard, FormOptions options, StorageOptions storage,
    MailOptions mail, TimeProvider clock,
    RoundRunner runner, SaveTickets tickets, History.HistoryStore history, ILogger<FormService> log)
{
    private sealed record Access(LinkGrant Grant, LeadView Lead)
    {
        public string Actor => Grant.Delegate ?? Lead.Return.LeadEmail;
        public bool ReadOnly => Lead.Header.Status != RoundStatus.Open
            || Lead.Return.Status is ReturnStatus.Excused or ReturnStatus.NoUpdate;
    }

    public async Task<FormResponse> ShowAsync(FormRequest request, string? saved, CancellationToken ct)
    {
        var (access, problem) = await OpenAsync(request, null, ct);
        if (access is null) return problem!;
        var ret = access.Lead.Return;
        if (RoundDecisions.Opened(ret, clock.GetUtcNow()) is { } opened)
        {
            try { ret = (await store.CommitAsync(access.Grant.RoundId, [opened], ct: ct))[0].Returns![0]; }
            catch (RequestFailedException e) when (e.Status == 412) { /* another tab moved first; nothing lost */ }
        }
        var (banner, kind) = saved switch
        {
            "submitted" => (
                "Thank you: your update has been submitted. You can still amend it until the round closes.", BannerKind.Success),
            "draft" => ("Your draft has been saved. Come back to this link to finish it, from any device.", BannerKind.Success),
            "delegate" => ("Your delegate has been sent their own link.", BannerKind.Success),
            "delegate-removed" => ("Your delegate's link no longer works.", BannerKind.Success),
            _ when access.ReadOnly && access.Lead.Header.Status != RoundStatus.Open => (
                "This round has closed: your return is shown as it was submitted.", BannerKind.Important),
            _ => ((string?)null, BannerKind.Important),
        };
        var view = View(access with { Lead = access.Lead with { Return = ret } }, request,
            FormView.Prefill(access.Lead.Items), new Dictionary<string, string>(), banner, kind,
            justSaved: saved is "submitted" or "draft");
        return Show(200, view with { Trends = await TrendsAsync(access.Lead.Header, access.Lead.Items, ct) });
    }

    /// <summary>Each of the lead's activities' statuses in the quarters before this one, for the page's one line
    /// under each (only when the page is shown: a save or a submission reads nothing more).</summary>
    private async Task<IReadOnlyDictionary<string, IReadOnlyList<History.QuarterEntry>>> TrendsAsync(
        RoundHeader header, IReadOnlyList<ReturnItem> items, CancellationToken ct)
    {
        var codes = items.Select(i => i.Code).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return (await history.StoriesAsync(header.Quarter.Previous.RoundId, ct)).Where(s => codes.Contains(s.Code))
            .ToDictionary(s => s.Code, s => s.Last(History.ActivityHistory.TrendQuarters),
                StringComparer.OrdinalIgnoreCase);
    }

    public async Task<FormResponse> SaveAsync(FormRequest request, IFormCollection form, CancellationToken ct)
    {
        // Storage gets a deadline, so a lead is never left waiting on it: past it, the page keeps their text (503).
        // A write that lands after the deadline is recognised as the same save when they press the button again.
        using var deadline = Deadline(ct);
        var storageCt = deadline.Token;
        // The page's ticket spares the read: one conditional transaction. If anything changed since the page was
        // shown, the transaction is refused and the save reads and decides again.
        if (tickets.Read(form[SaveTickets.Field], request.Token) is { } shown
            && await SaveAsync(new Access(shown.Grant, shown.Lead), request, form, ct, storageCt, fromTicket: true)
                is { } saved)
            return saved;
        Access? access;
        FormResponse? problem;
        try
        {
            (access, problem) = await OpenAsync(request, form, storageCt);
        }
        catch (Exception e) when (IsOutage(e, ct))
        {
            log.LogError(e, "Storage unavailable while saving a form");
            return FormResponse.Of<UnavailablePage>(503, new
            {
                request.Token, Typed = form, request.AntiforgeryToken, Contact = mail.PerformanceTeam,
            });
        }
        if (access is null) return problem!;
        return (await SaveAsync(access, request, form, ct, storageCt, fromTicket: false))!;
    }

    /// <summary>Validates, decides and commits a save against the return as <paramref name="access"/> has it.</summary>
    /// <returns>The page to send; null only <paramref name="fromTicket"/>, when the return has changed since.</returns>
    private async Task<FormResponse?> SaveAsync(Access access, FormRequest request, IFormCollection form,
        CancellationToken ct, CancellationToken storageCt, bool fromTicket)
    {
        var (header, ret, items, _) = access.Lead;
        var submit = form["action"] == "submit";
        var typed = items.ToDictionary(i => i.Code, i => new TypedAnswer(
            form[FormValidation.StatusField(i.Code)].FirstOrDefault(),
            form[FormValidation.ProgressField(i.Code)].FirstOrDefault(),
            form[FormValidation.NextField(i.Code)].FirstOrDefault()));
        int? postedVersion = int.TryParse(form["version"], out var pv) ? pv : null;
        FormResponse Again(int status, IReadOnlyDictionary<string, string> errors, string? banner,
            IReadOnlyList<ReturnItem>? elsewhere = null, int? version = null) =>
            Show(status, View(access, request, typed, errors, banner, BannerKind.Problem, elsewhere, version ?? postedVersion));

        if (access.ReadOnly)
            return Again(409, new Dictionary<string, string>(),
                "This return can no longer be changed: the round has closed or the performance team has closed it. " +
                "Your text is below; contact them if it should be reopened.");
        if (!request.AntiforgeryValid)
            return Again(400, new Dictionary<string, string>(),
                "For your security this page needs to be sent again. Nothing you typed is lost: check it below and " +
                "press the button again.");
        // The version the page was shown with guards against overwriting newer text: a save without one is refused.
        if (postedVersion is null)
            return Again(400, new Dictionary<string, string>(),
                "This page is missing what it needs to save safely. Nothing you typed is lost: check it below and " +
                "press the button again, or reload the page from your e-mail.", version: ret.Version);
        if (typed.Values.Any(t => new[] { t.Status, t.Progress, t.NextSteps }.Any(v => v?.Contains('\0') == true)))
        {
            typed = typed.ToDictionary(t => t.Key, t => new TypedAnswer(t.Value.Status?.Replace("\0", ""),
                t.Value.Progress?.Replace("\0", ""), t.Value.NextSteps?.Replace("\0", "")));
            return Again(400, new Dictionary<string, string>(),
                "Your text had an invisible character that cannot be saved (it sometimes comes with pasted text). " +
                "It has been taken out below: check your text and press the button again.");
        }
        var verdict = FormValidation.Validate(items, typed, submit, options);
        if (!verdict.Ok)
        {
            // Pasted formatting is shown as the plain text it became, for the lead to check before submitting.
            typed = typed.ToDictionary(t => t.Key, t => verdict.Answers.TryGetValue(t.Key, out var cleaned)
                ? new TypedAnswer(t.Value.Status,
                    PlainText.HasMarkup(t.Value.Progress ?? "") ? cleaned.Progress : t.Value.Progress,
                    PlainText.HasMarkup(t.Value.NextSteps ?? "") ? cleaned.NextSteps : t.Value.NextSteps)
                : t.Value);
            return Again(400, verdict.Errors, null);
        }
        if (postedVersion is not null && postedVersion != ret.Version)
        {
            // A double click or a refresh re-sends what was just saved: that is the same save, not a conflict.
            if (SameAsStored(items, verdict.Answers) && (!submit || ret.Status == ReturnStatus.Submitted))
                return Saved(request.Token, submit);
            return Again(409, new Dictionary<string, string>(),
                $"This return was saved elsewhere (by {ret.SavedBy} at " +
                    $"{Reminders.WorkingCalendar.Display(ret.SavedAt)}) after you opened it. Your text is in the " +
                    "fields; the other version is shown above each activity where it differs. Check them, then save " +
                    "again to keep yours.",
                items, ret.Version);
        }

        var now = clock.GetUtcNow();
        var outcome = RoundDecisions.Save(header, ret, items, verdict.Answers, submit, now, access.Actor);
        if (outcome.Change is null) return Again(409, new Dictionary<string, string>(), outcome.RefusedBecause);
        try
        {
            await store.CommitAsync(access.Grant.RoundId, [outcome.Change], ct: storageCt);
        }
        catch (RequestFailedException e) when (e.Status == 412 && fromTicket)
        {
            return null;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            var fresh = await store.LoadLeadAsync(access.Grant.RoundId, access.Grant.LeadKey, storageCt);
            if (fresh is { } f && SameAsStored(f.Items, verdict.Answers) && (!submit || f.Return.Status == ReturnStatus.Submitted))
                return Saved(request.Token, submit); // the other request was this one's double: it saved the same text
            return Again(409, new Dictionary<string, string>(),
                "This return was changed in another window while you were saving. Your text is in the fields; the " +
                "other version is shown above each activity where it differs. Check it and save again.",
                fresh?.Items, fresh?.Return.Version);
        }
        catch (Exception e) when (IsOutage(e, ct))
        {
            log.LogError(e, "Saving the return of {Lead} in {Round} failed", access.Grant.LeadKey, access.Grant.RoundId);
            return Again(503, new Dictionary<string, string>(),
                "Sorry, your update could not be saved just now. Nothing you typed is lost: it is all below. Please " +
                "try again in a minute.");
        }
        if (outcome.FirstSubmission)
        {
            try { await runner.NotifyLeadAsync(access.Grant.RoundId, access.Grant.LeadKey, storageCt); }
            catch (Exception e) when (IsOutage(e, ct))
            {
                log.LogWarning(e, "Could not tell {Lead}'s orchestration in {Round}; its next look at the tables " +
                    "finds the submission", access.Grant.LeadKey, access.Grant.RoundId);
            }
        }
        return Saved(request.Token, submit);
    }

    /// <summary>The page for a body that is not a form the app can read (sent by something other than its
    /// page).</summary>
    public FormResponse Unreadable() => Problem(400, ("This page could not be read",
        "What was sent was not the form as this page sends it. Go back, check your text, and press the button again.",
        mail.PerformanceTeam, null));

    /// <summary>The lead names (or removes) a delegate, who gets their own link by e-mail.</summary>
    public async Task<FormResponse> NameDelegateAsync(FormRequest request, IFormCollection form, CancellationToken ct)
    {
        var (access, problem) = await OpenAsync(request, form, ct);
        if (access is null) return problem!;
        var (header, ret, items, _) = access.Lead;
        var name = form["delegateName"].ToString().Trim();
        var email = form["delegateEmail"].ToString().Trim();
        var remove = form["remove"] == "true";
        var errors = new Dictionary<string, string>();
        if (access.Grant.Delegate is not null) errors["delegate-name"] = "Only the lead can name a delegate";
        else if (!request.AntiforgeryValid) errors["delegate-name"] =
            "For your security this needs to be sent again: press the button again";
        else if (!remove)
        {
            var round = await store.LoadSnapshotAsync(access.Grant.RoundId, ct);
            var domains = DelegateRules.AllowedDomains(options.DelegateDomains,
                round?.Returns.Select(r => r.LeadEmail) ?? [ret.LeadEmail]);
            if (DelegateRules.NameProblem(name) is { } nameProblem) errors["delegate-name"] = nameProblem;
            if (DelegateRules.EmailProblem(email, ret.LeadEmail, domains) is { } emailProblem)
                errors["delegate-email"] = emailProblem;
        }
        FormResponse Again(int status, IReadOnlyDictionary<string, string> e) => Show(status,
            new FormView(header, ret, items, request.Token, request.AntiforgeryToken, FormView.Prefill(items),
                new Dictionary<string, string>(),
                Actor: access.Actor, Versions: access.Lead.Versions, DelegateErrors: e, DelegateName: name, DelegateEmail: email,
                Ticket: Ticket(access, request)));
        if (errors.Count > 0) return Again(400, errors);

        var outcome = RoundDecisions.NameDelegate(header, ret, remove ? null : name, remove ? null : email,
            clock.GetUtcNow(), mail.PerformanceTeam);
        if (outcome.Change is null) return Again(409, new Dictionary<string, string> { ["delegate-name"] = outcome.RefusedBecause! });
        try
        {
            await store.CommitAsync(access.Grant.RoundId, [outcome.Change], ct: ct);
            await runner.TellAsync(access.Grant.RoundId, [access.Grant.LeadKey], ct: ct);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return Again(409, new Dictionary<string, string> { ["delegate-name"] =
                "The return changed while you were sending this; send it again" });
        }
        return new FormResponse(303, null, $"/api/forms/{request.Token}?saved={(remove ? "delegate-removed" : "delegate")}#delegate");
    }

    private string? Ticket(Access access, FormRequest request) =>
        access.ReadOnly ? null : tickets.Issue(request.Token, access.Grant, access.Lead);

    private static FormResponse Saved(string token, bool submit) => new(303, null,
        $"/api/forms/{token}?saved={(submit ? "submitted" : "draft")}");

    private static bool SameAsStored(IReadOnlyList<ReturnItem> items, IReadOnlyDictionary<string, Answer> answers) =>
        items.Where(i => !i.Excused).All(i => answers.TryGetValue(i.Code, out var a) && a.Status == i.Status
            && a.Progress == i.Progress && a.NextSteps == i.NextSteps);

    private FormResponse Show(int status, FormView view) =>
        FormResponse.Of<FormPage>(status, new { View = view, Limits = options });

    private static FormResponse Problem(int status,
        (string Heading, string Explanation, string Contact, IFormCollection? Typed) page, TimeSpan? RetryAfter = null) =>
        FormResponse.Of<LinkProblemPage>(status, new { page.Heading, page.Explanation, page.Contact, page.Typed })
            with { RetryAfter = RetryAfter };

    private FormView View(Access access, FormRequest request, IReadOnlyDictionary<string, TypedAnswer> values,
        IReadOnlyDictionary<string, string> errors, string? banner, BannerKind kind,
        IReadOnlyList<ReturnItem>? elsewhere = null, int? version = null, bool justSaved = false)
    {
        var (header, ret, items, versions) = access.Lead;
        return new FormView(header, ret, items, request.Token, request.AntiforgeryToken, values, errors, banner, kind,
            access.ReadOnly, elsewhere, version, access.Actor, versions, justSaved, Ticket: Ticket(access, request));
    }

    /// <summary>
    /// Resolves a link to its return, or the page to show instead: unknown (404), replaced or expired (410), or, for
    /// a link that does not work, too many failed tries from this client (429). A link that works always opens.
    /// </summary>
    /// <param name="typed">A POST's fields, shown again on any refusal page; null for a GET.</param>
    private async Task<(Access?, FormResponse?)> OpenAsync(FormRequest request, IFormCollection? typed, CancellationToken ct)
    {
        var grant = await links.ResolveAsync(request.Token, ct);
        if (grant is null && guard.LockedOut(request.Client))
            return (null, Problem(429, ("Too many attempts",
                "This device has tried too many links that do not work. Wait a few minutes, then use the link in " +
                    "your latest e-mail.", mail.PerformanceTeam, typed),
                RetryAfter: guard.RetryAfter));
        // A GET shows the saved versions; a POST needs only the return and its activities (fewer rows to read).
        var lead = grant is null ? null : typed is null
            ? await store.LoadLeadWithHistoryAsync(grant.RoundId, grant.LeadKey, ct)
            : await store.LoadLeadAsync(grant.RoundId, grant.LeadKey, ct) is { } l ? new LeadView(l.Header, l.Return, l.Items, []) : null;
        if (grant is null || lead is null)
        {
            guard.Failed(request.Client);
            return (null, Problem(404, ("This link is not recognised",
                "The link may have been copied incompletely. Check it against your e-mail.", mail.PerformanceTeam, typed)));
        }
        var replaced = lead.Return.TokenGeneration != grant.Generation
            || grant.Delegate is not null && !grant.Delegate.Equals(lead.Return.Delegate, StringComparison.OrdinalIgnoreCase);
        if (replaced)
            return (null, Problem(410, ("This link has been replaced",
                "A newer link has been sent by e-mail, and this one no longer works. Please use the latest " +
                    "e-mail.", mail.PerformanceTeam, typed)));
        if (lead.Header.Status is RoundStatus.Complete or RoundStatus.Closed && lead.Header.CompletedAt is { } done
            && done.AddDays(options.LinkGraceDays) < clock.GetUtcNow())
            return (null, Problem(410, ("This link has expired",
                "The collection this link was for closed some time ago, so the link no longer opens the form.",
                mail.PerformanceTeam, typed)));
        return (new Access(grant, lead), null);
    }

    private CancellationTokenSource Deadline(CancellationToken ct)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(storage.RequestDeadlineSeconds));
        return deadline;
    }

    /// <summary>Storage failed or missed the deadline; not the lead going away (<paramref name="ct"/> is
    /// theirs).</summary>
    private static bool IsOutage(Exception e, CancellationToken ct) =>
        !ct.IsCancellationRequested && StorageDeadline.IsUnreachable(e);
}
