using System.Collections.Concurrent;
using KaWorkflow.Demo;
using KaWorkflow.Rounds;
using KaWorkflow.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KaWorkflow.Tests.Rounds;

/// <summary>
/// A quarter on a clock running fast, driven by the orchestrations' own durable timers as in Azure (not woken): it
/// completes, and no execution leaves a timer behind for the backend to bounce.
/// </summary>
[Collection(Heavy.Name)]
public sealed class ScaledQuarterTests
{
    /// <summary>A business day in under a second of wall time.</summary>
    private const double Scale = 100_000;

    [Fact]
    public async Task A_quarter_on_a_fast_clock_completes_on_its_own_timers_chases_as_by_hand_and_leaves_no_timer_behind()
    {
        var backend = new BackendWarnings();
        await using var app = await TestApp.StartAsync(Azurite.Instance.NewStorage(), TestApp.BeforeQ1Opens,
            "Development", [], services => services.AddSingleton<ILoggerProvider>(backend));
        await app.ImportSampleRegisterAsync();

        var round = await new QuarterSimulation(app.Services, app.Http, say: null)
            .RunAsync("2020-21-Q1", app.Clock.GetUtcNow().AddDays(60), scale: Scale, onTimers: true);

        Assert.Equal(RoundStatus.Complete, round?.Header.Status);
        Assert.All(round!.Effects, e => Assert.Equal(EffectState.Done, e.State));
        var mail = await app.MailAsync();
        Assert.Equal(SampleLeads.All.Count, mail.Count(m => m.Subject.StartsWith("Key Activity update")));
        Assert.Contains(mail, m => m.Subject.StartsWith("Reminder")); // the timers drove the chasing
        // As faithful as the quarter on a clock moved by hand: one reminder for the lead who waits for one, three for
        // the late one, none for those who answer promptly (they did get one when they saw their invitation late).
        Assert.Equal(4, mail.Count(m => m.Subject.StartsWith("Reminder:") || m.Subject.StartsWith("Overdue:")));
        Assert.Single(mail, m => m.Subject.StartsWith("Key Activity report ready"));
        Assert.Empty(backend.OutOfOrder);
    }

    /// <summary>The durable backend's "out of order" warnings about timers: a timer arriving for an execution that
    /// has ended is one.</summary>
    private sealed class BackendWarnings : ILoggerProvider, ILogger
    {
        public ConcurrentQueue<string> OutOfOrder { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            // An activity's answer may also overtake its own scheduling's checkpoint for a moment: only timers count.
            var text = formatter(state, exception);
            if (eventId.Name == "ReceivedOutOfOrderMessage" && text.Contains("TimerFired")) OutOfOrder.Enqueue(text);
        }

        public bool IsEnabled(LogLevel logLevel) => true;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public void Dispose() { }
    }
}
