using KaWorkflow.Form;
using Microsoft.AspNetCore.DataProtection;
using KaWorkflow.Mail;
using KaWorkflow.Reminders;
using KaWorkflow.Reports;

namespace KaWorkflow.Rounds;

/// <summary>
/// Runs a round's outbox: claims each runnable effect with an ETag-guarded update, performs it, and records the
/// result. A crash between performing and recording leaves the claim to lapse, so the effect runs again: an
/// e-mail may repeat, never go missing.
/// </summary>
public sealed class EffectDispatcher(
    RoundStore store, FormLinks links, FormOptions form, GraphMailSender sender, MailPacer pacer, MailOptions mail,
    ReportAssembler reports, ChasePolicy policy, TimeProvider clock,
    IDataProtectionProvider protection, ILogger<EffectDispatcher> log)
{
    /// <summary>How long a claim holds before another dispatcher may take the effect over.</summary>
    public static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(2);
    private const int MaxAttempts = 8;

    /// <summary>How often mail held for want of the mailbox grant is tried again.</summary>
    public static readonly TimeSpan HeldRetry = TimeSpan.FromMinutes(15);

    /// <summary>The least a throttled e-mail waits: the mailbox is over its minute.</summary>
    public static readonly TimeSpan ThrottledWait = TimeSpan.FromMinutes(1);

    /// <summary>Runs one effect if it is runnable now; returns it as it then stands, or null if there is
    /// none.</summary>
    public async Task<Effect?> RunAsync(string roundId, string effectId, CancellationToken ct)
    {
        var header = await store.GetHeaderAsync(roundId, ct);
        var effect = await store.GetEffectAsync(roundId, effectId, ct);
        if (header is null || effect is null) return null;
        return await RunAsync(header, effect, ct);
    }

    /// <summary>Runs one effect, as just read with its round's header, if it is runnable now; returns it as it then
    /// stands. Its ETag guards every update, so a stale read only loses the race.</summary>
    public async Task<Effect> RunAsync(RoundHeader header, Effect effect, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return effect.Runnable(now) ? await RunOneAsync(header, effect, now, ct) : effect;
    }

    /// <summary>How long an e-mail waits to book again when other instances took every slot it tried.</summary>
    private static readonly TimeSpan ContendedWait = TimeSpan.FromSeconds(2);

    /// <summary>How long a booked pacing slot is kept for its message.</summary>
    private static readonly TimeSpan PaceHold = TimeSpan.FromMinutes(1);

    /// <summary>Whether the e-mail's booked slot is its to use now; one missed by more than a minute (the send
    /// window closed meanwhile, say) is booked again.</summary>
    private static bool HoldsSlot(Effect effect, DateTimeOffset now) =>
        effect.PaceSlot is { } booked && booked <= now && now - booked <= PaceHold;

    private async Task<Effect> RunOneAsync(RoundHeader header, Effect effect, DateTimeOffset now, CancellationToken ct)
    {
        // Chasing waits for the working day; replies to someone's action (a delegate's link, a reassignment) go at once.
        var isChase = effect.Kind is EffectKind.Invite or EffectKind.Reminder;
        if (isChase && !policy.InSendWindow(now))
            return await store.TryUpdateEffectAsync(header.Id, effect with { NotBefore = policy.NextSendWindow(now) }, ct: ct) ?? effect;
        // A slot booked for it earlier holds for a minute; a later one is booked now. Put off is stored, so whoever
        // reads the lead next knows when it is due.
        if (Effect.IsMail(effect.Id) && !HoldsSlot(effect, now)
            && await pacer.BookAsync(ct) is var slot && slot != now)
        {
            var putOff = slot is { } at ? effect with { NotBefore = at, PaceSlot = at }
                : effect with { NotBefore = now + ContendedWait }; // not booked: others took every slot it tried
            return await store.TryUpdateEffectAsync(header.Id, putOff, ct: ct) ?? effect;
        }

        var claimed = await store.TryUpdateEffectAsync(header.Id,
            effect with { State = EffectState.Claimed, ClaimedUntil = now + ClaimFor, Attempts = effect.Attempts + 1 }, ct: ct);
        if (claimed is null) return effect; // another instance has it
        try
        {
            var alongside = await PerformAsync(header, claimed, now, ct);
            return await store.TryUpdateEffectAsync(header.Id,
                claimed with { State = EffectState.Done, CompletedAt = clock.GetUtcNow(), ClaimedUntil = null, LastError = null },
                alongside, ct) ?? claimed;
        }
        catch (MailThrottled e) when (!ct.IsCancellationRequested)
        {
            // Exchange is busy: the e-mail waits its turn, uncounted, however long the storm lasts.
            log.LogWarning("Effect {Effect} of {Round} throttled; put off", effect.Id, header.Id);
            var wait = e.RetryAfter is { } after && after > ThrottledWait ? after : ThrottledWait;
            return await store.TryUpdateEffectAsync(header.Id, claimed with
            {
                State = EffectState.Pending, ClaimedUntil = null, NotBefore = now + wait, Attempts = effect.Attempts,
                LastError = e.Message,
            }, ct: ct) ?? claimed;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // Held mail waits for the mailbox grant as long as it takes; other failures give up after MaxAttempts.
            var held = e is MailNotAllowedYet;
            var permanent = e is PermanentMailFailure || !held && claimed.Attempts >= MaxAttempts;
            log.LogWarning(e, "Effect {Effect} of {Round} failed (attempt {Attempt}{Parked})", effect.Id, header.Id,
                claimed.Attempts, permanent ? ", parked" : "");
            var backoff = held ? HeldRetry : TimeSpan.FromMinutes(Math.Min(60, Math.Pow(2, claimed.Attempts - 1)));
            var failed = permanent
                ? claimed with { State = EffectState.Parked, ClaimedUntil = null, LastError = e.Message }
                : claimed with { State = EffectState.Pending, ClaimedUntil = null, NotBefore = now + backoff, LastError = e.Message };
            Change[] events = permanent
                ? [new Change(Events: [new RoundEvent(now, "effect-parked", "dispatcher", effect.LeadKey, $"{effect.Id}: {e.Message}")])]
                : [];
            return await store.TryUpdateEffectAsync(header.Id, failed, events, ct) ?? claimed;
        }
    }

    private IDataProtector Secrets => protection.CreateProtector("KaWorkflow.LeadLink");

    /// <summary>
    /// The lead's one live link: the one already sent while it is of the return's current generation, else a new one,
    /// recorded on the return before it is sent, so a crash can never leave two links working.
    /// </summary>
    private async Task<string> LeadLinkAsync(string roundId, LeadReturn ret, CancellationToken ct)
    {
        if (ret.LinkSecret is { } secret && Unprotect(secret) is { } known
            && await links.ResolveAsync(known, ct) is { Delegate: null } grant && grant.Generation == ret.TokenGeneration)
            return known;
        var token = await links.IssueAsync(roundId, ret.LeadKey, ret.TokenGeneration, ct);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await store.CommitAsync(roundId, [new Change(Returns: [ret with { LinkSecret = Secrets.Protect(token) }])], ct: ct);
                return token;
            }
            catch (Azure.RequestFailedException e) when (e.Status == 412 && attempt < 4)
            {
                // The lead saved meanwhile: record the link on the return as it now is.
                ret = (await store.LoadLeadAsync(roundId, ret.LeadKey, ct))?.Return ?? throw new InvalidOperationException(
                    $"No return for {ret.LeadKey}.");
            }
        }
    }

    private string? Unprotect(string secret)
    {
        try { return Secrets.Unprotect(secret); }
        catch (System.Security.Cryptography.CryptographicException) { return null; } // keys gone: send a new link
    }

    private async Task<(RoundHeader Header, LeadReturn Return, List<ReturnItem> Items)> LeadOfAsync(
        string roundId, Effect effect, CancellationToken ct) =>
        await store.LoadLeadAsync(roundId, effect.LeadKey!, ct)
        ?? throw new InvalidOperationException($"No return for {effect.LeadKey}.");

    /// <summary>An e-mail the round no longer wants (the lead answered, or a newer invitation replaced it).</summary>
    private static IReadOnlyList<Change> NoLongerNeeded(Effect effect, DateTimeOffset now) =>
        [new Change(Events: [new RoundEvent(now, "mail-skipped", "dispatcher", effect.LeadKey, $"{effect.Id}: no longer needed")])];

    /// <summary>Does the effect's work; returns changes to record with its completion.</summary>
    private async Task<IReadOnlyList<Change>> PerformAsync(RoundHeader round, Effect effect, DateTimeOffset now, CancellationToken ct)
    {
        var roundId = round.Id;
        switch (effect.Kind)
        {
            case EffectKind.Invite:
            case EffectKind.Reminder:
            {
                var lead = await LeadOfAsync(roundId, effect, ct);
                var (header, ret, items) = lead;
                var stale = effect.Kind == EffectKind.Invite
                    ? effect.Number != ret.TokenGeneration
                    : !ret.Outstanding || header.Status != RoundStatus.Open;
                if (stale) return NoLongerNeeded(effect, now);
                var link = form.LinkFor(await LeadLinkAsync(roundId, ret, ct));
                var message = effect.Kind == EffectKind.Invite
                    ? RoundMails.Invite(header, ret, items, link, mail.PerformanceTeam)
                    : RoundMails.Reminder(header, ret, items, effect.Number, effect.Escalated, link, mail.PerformanceTeam, now);
                await sender.SendAsync(message with { Reference = $"{roundId}/{effect.Id}" }, ct);
                var type = effect.Kind == EffectKind.Invite ? "invited" : effect.Escalated ? "escalated" : "reminded";
                return [new Change(Events: [new RoundEvent(now, type, "dispatcher", ret.LeadKey, effect.Id)])];
            }
            case EffectKind.DelegateInvite:
            {
                var (header, ret, _) = await LeadOfAsync(roundId, effect, ct);
                var message = effect.Message ?? throw new PermanentMailFailure($"{effect.Id} has no message.");
                if (header.Status != RoundStatus.Open || !string.Equals(ret.Delegate, message.To[0], StringComparison.OrdinalIgnoreCase))
                    return NoLongerNeeded(effect, now);
                var link = form.LinkFor(await links.IssueAsync(roundId, ret.LeadKey, ret.TokenGeneration, ct,
                    delegateEmail: ret.Delegate));
                await sender.SendAsync(message with
                {
                    Body = message.Body.Replace(RoundMails.LinkPlaceholder, link), Reference = $"{roundId}/{effect.Id}",
                }, ct);
                return [new Change(Events: [new RoundEvent(now, "delegate-invited", "dispatcher", ret.LeadKey, ret.Delegate)])];
            }
            case EffectKind.Notice:
                var notice = effect.Message ?? throw new PermanentMailFailure($"{effect.Id} has no message.");
                await sender.SendAsync(notice with { Reference = $"{roundId}/{effect.Id}" }, ct);
                return [new Change(Events: [new RoundEvent(now, "notice-sent", "dispatcher", effect.LeadKey, effect.Message.Subject)])];
            case EffectKind.AssembleDraft:
                await reports.AssembleAsync(roundId, effect.Number, draft: true, ct);
                return [new Change(Events: [new RoundEvent(now, "draft-assembled", "dispatcher",
                    Detail: $"version {effect.Number}")])];
            case EffectKind.AssembleReport:
                await reports.AssembleAsync(roundId, effect.Number, draft: false, ct);
                return [new Change(Effects: [Effect.ReportReady(effect.Number, now)],
                    Events: [new RoundEvent(now, "report-assembled", "dispatcher", Detail: $"version {effect.Number}")])];
            case EffectKind.ReportReady:
                var downloads = ReportAssembler.Files.Select(f =>
                    $"{form.PublicBaseUrl.TrimEnd('/')}/api/reports/{ReportAssembler.BlobName(roundId, effect.Number, f.Name)}").ToList();
                var ready = RoundMails.ReportReady(round, effect.Number, downloads, mail.PerformanceTeam);
                await sender.SendAsync(ready with { Reference = $"{roundId}/{effect.Id}" }, ct);
                return [new Change(Events: [new RoundEvent(now, "report-sent", "dispatcher",
                    Detail: $"version {effect.Number} to {mail.PerformanceTeam}")])];
            default:
                throw new InvalidOperationException($"Unknown effect kind {effect.Kind}.");
        }
    }
}
