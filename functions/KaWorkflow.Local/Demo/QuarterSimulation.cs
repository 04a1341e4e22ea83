using System.Collections.Concurrent;
using KaWorkflow.Hosting;
using KaWorkflow.Mail;
using KaWorkflow.Rounds;

namespace KaWorkflow.Demo;

/// <summary>
/// Runs a round on a clock moved by hand, as time would pass: the quarterly timer's check, the simulated leads, then
/// the round's orchestrations told that time has moved (<see cref="EngineDriver"/>), and once they have acted, the
/// clock moved on to the round's next due moment (at least a minute, at most an hour, so paced mail goes out minute
/// by minute and people act through the day). The local run and the benchmarks both use it; it prints the round's
/// events as they happen.
/// </summary>
/// <param name="say">Where the round's events are told as they happen; null reads none (a benchmark).</param>
public sealed class QuarterSimulation(IServiceProvider services, HttpClient http, Action<string>? say)
{
    private static readonly TimeSpan MinStep = TimeSpan.FromMinutes(1), MaxStep = TimeSpan.FromHours(1);

    /// <summary>How often, in wall time, the simulated people look at their mail on a scaled clock: at 36,000× two
    /// business hours, finer than any of their habits.</summary>
    private static readonly TimeSpan PeoplePace = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Runs until the round is complete with every effect done, or <paramref name="until"/> passes, and returns its
    /// final state. On a clock running at <paramref name="scale"/> (from where it stands) business time waits for the
    /// orchestrations and skips idle time, and the rehearsal wakes each lead at its moment; with
    /// <paramref name="onTimers"/> it does neither, and the leads' own durable timers drive them, as in Azure. With no
    /// scale the clock is moved by hand.
    /// </summary>
    public async Task<RoundSnapshot?> RunAsync(string roundId, DateTimeOffset until, Func<Task>? afterStep = null,
        double? scale = null, bool onTimers = false, CancellationToken ct = default)
    {
        if (scale is { } s) return await RunScaledAsync(roundId, until, s, onTimers, afterStep, ct);
        var clock = services.GetRequiredService<AdjustableClock>();
        var engine = services.GetRequiredService<RoundEngine>();
        var driver = new EngineDriver(services.GetRequiredService<IDurableClients>(), clock);
        var store = services.GetRequiredService<RoundStore>();
        using var leads = new SimulatedLeads(http, services.GetRequiredService<LocalMailbox>(), store, say ?? (_ => { }));
        RoundSnapshot? round = null;
        while (clock.GetUtcNow() < until)
        {
            foreach (var line in await engine.OnScheduleAsync(ct)) say?.Invoke(line);
            await leads.ActAsync(roundId, clock.GetUtcNow(), ct);
            round = await store.LoadSnapshotAsync(roundId, ct);
            DateTimeOffset? next = engine.NextScheduledOpening(clock.GetUtcNow())?.At;
            if (round is not null)
            {
                await driver.SettleAsync(roundId, TimeSpan.FromMinutes(2), ct);
                round = await TellAsync(store, roundId, ct);
                if (Finished(round)) break;
                next = RoundDecisions.NextDue(round!, clock.GetUtcNow());
            }
            var step = next is { } due ? due - clock.GetUtcNow() : MaxStep;
            clock.Advance(step < MinStep ? MinStep : step > MaxStep ? MaxStep : step);
            if (afterStep is not null) await afterStep();
        }
        return round;
    }

    private async Task<RoundSnapshot?> RunScaledAsync(string roundId, DateTimeOffset until, double scale,
        bool onTimers, Func<Task>? afterStep, CancellationToken ct)
    {
        var clock = services.GetRequiredService<AdjustableClock>();
        var engine = services.GetRequiredService<RoundEngine>();
        var store = services.GetRequiredService<RoundStore>();
        var mailbox = services.GetRequiredService<LocalMailbox>();
        using var leads = new SimulatedLeads(http, mailbox, store, say ?? (_ => { }));
        using var people = new People(clock, mailbox);
        clock.RunScaled(clock.GetUtcNow(), scale, waitForWork: true, skipIdle: !onTimers);
        // Resumed after a stop: the orchestrations in flight pick up where they were, and the clock waits for them.
        // Each lead is told time has moved: one asleep set no timer, and the wake it was due may have died with the
        // process.
        if (await store.LoadSnapshotAsync(roundId, ct) is { } resumed)
            await services.GetRequiredService<RoundRunner>().TellAsync(roundId,
                RoundPlan.Of(resumed, clock.GetUtcNow()).Leads, ct: ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var waking = WakeAsync(clock, services.GetRequiredService<IDurableClients>(), people, stop.Token);
        try { return await RunLoopAsync(roundId, until, afterStep, clock, engine, store, leads, people, ct); }
        finally
        {
            await stop.CancelAsync();
            try { await waking; }
            catch (OperationCanceledException) { }
        }
    }

    /// <summary>How often, in wall time, the rehearsal looks for those whose moment business time has
    /// reached.</summary>
    private static readonly TimeSpan WakePace = TimeSpan.FromMilliseconds(10);

    /// <summary>Wakes each sleeping lead the moment business time reaches what they said they next do (a change
    /// event, as any other) when the clock skips idle time (<see cref="AdjustableClock.WakesSleepers"/>); and the
    /// simulated people at theirs.</summary>
    /// <remarks>A lead set no timer of its own, so a wake that could not be raised is raised again at the next
    /// tick. One that finished meanwhile takes the event as nothing.</remarks>
    private static async Task WakeAsync(AdjustableClock clock, IDurableClients clients, People people,
        CancellationToken ct)
    {
        using var pace = new PeriodicTimer(WakePace);
        var again = new ConcurrentQueue<string>();
        while (await pace.WaitForNextTickAsync(ct))
        {
            var waking = clock.TakeWaking();
            if (waking.Contains(People.Who)) people.Wake();
            if (!clock.WakesSleepers) continue;
            var leads = waking.Where(Orchestrations.IsLeadInstance).ToList();
            while (again.TryDequeue(out var lead)) leads.Add(lead);
            var side = new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct };
            await Parallel.ForEachAsync(leads, side, async (lead, token) =>
            {
                try { await clients.Client.RaiseEventAsync(lead, LeadOrchestration.ChangedEvent, null, token); }
                catch (Exception e) when (e is not OperationCanceledException) { again.Enqueue(lead); }
            });
        }
    }

    private async Task<RoundSnapshot?> RunLoopAsync(string roundId, DateTimeOffset until, Func<Task>? afterStep,
        AdjustableClock clock, RoundEngine engine, RoundStore store, SimulatedLeads leads, People people,
        CancellationToken ct)
    {
        RoundSnapshot? round = null;
        var nextCheck = DateTimeOffset.MinValue;
        while (clock.GetUtcNow() < until)
        {
            // The quarterly timer's check, every business hour: it opens the round when its time comes.
            if (clock.GetUtcNow() >= nextCheck)
            {
                foreach (var line in await engine.OnScheduleAsync(ct)) say?.Invoke(line);
                nextCheck = clock.GetUtcNow().AddHours(1);
            }
            if (people.StartLook(clock.GetUtcNow()))
                people.Looked(await leads.ActAsync(roundId, clock.GetUtcNow(), ct));
            // The round's whole state only when there is something to tell or it may have finished: reading 300 leads'
            // returns five times a second would be the simulation's load on storage, not the app's.
            if (await store.GetHeaderAsync(roundId, ct) is { } header
                && (say is not null || header.Status is RoundStatus.Complete or RoundStatus.Closed)
                && Finished(round = await TellAsync(store, roundId, ct)))
                break;
            if (afterStep is not null) await afterStep();
            await people.WaitAsync(PeoplePace, ct); // not a wait for the app: the round runs on its own timers
        }
        return round;
    }

    /// <summary>
    /// The simulated leads as the rehearsal's clock sees them: they look at their mail as it arrives and when a moment
    /// they would answer at comes, and say when that next is, so the clock, skipping idle time, passes nothing they
    /// would do.
    /// </summary>
    private sealed class People : IDisposable
    {
        public const string Who = "people";
        private readonly AdjustableClock _clock;
        private readonly LocalMailbox _mailbox;
        private readonly SemaphoreSlim _wake = new(0, 1);
        private readonly Lock _lock = new();
        private bool _mail = true;
        private DateTimeOffset? _next;

        public People(AdjustableClock clock, LocalMailbox mailbox)
        {
            (_clock, _mailbox) = (clock, mailbox);
            _mailbox.Delivered += OnMail;
        }

        /// <summary>New mail: business time holds here until they have looked.</summary>
        private void OnMail()
        {
            lock (_lock)
            {
                _mail = true;
                _clock.Expect(Who, _clock.GetUtcNow());
            }
            Wake();
        }

        public void Wake()
        {
            try { _wake.Release(); }
            catch (SemaphoreFullException) { } // already woken
        }

        public Task WaitAsync(TimeSpan longest, CancellationToken ct) => _wake.WaitAsync(longest, ct);

        /// <summary>Whether they look now: mail came, or a moment they said.</summary>
        public bool StartLook(DateTimeOffset now)
        {
            lock (_lock)
            {
                if (!_mail && (_next is not { } at || at > now)) return false;
                _mail = false;
                return true;
            }
        }

        /// <summary>They have looked and say their next moment; mail that came meanwhile keeps the clock
        /// held.</summary>
        public void Looked(DateTimeOffset? next)
        {
            lock (_lock)
            {
                _next = next;
                if (!_mail) _clock.Expect(Who, next);
            }
        }

        public void Dispose() => _mailbox.Delivered -= OnMail;
    }

    private int _told;

    /// <summary>Says the round's events since last time and returns the round as it now stands.</summary>
    private async Task<RoundSnapshot?> TellAsync(RoundStore store, string roundId, CancellationToken ct)
    {
        if (say is null) return await store.LoadSnapshotAsync(roundId, ct);
        var events = await store.LoadEventsAsync(roundId, ct: ct);
        foreach (var e in events.Skip(_told)) say($"{roundId}: {e.Type}{(e.LeadKey is null ? "" : $" {e.LeadKey}")}");
        _told = events.Count;
        return await store.LoadSnapshotAsync(roundId, ct);
    }

    private static bool Finished(RoundSnapshot? round) =>
        round is { Header.Status: RoundStatus.Complete }
        && round.Effects.All(e => e.State is EffectState.Done or EffectState.Parked);
}
