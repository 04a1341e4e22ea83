using KaWorkflow.Rounds;
using Microsoft.Extensions.Options;

namespace KaWorkflow.Hosting;

/// <summary>The standalone host's tick: the same <see cref="RoundEngine.TickAsync"/> the Functions timer calls through <c>/tick</c>.</summary>
public sealed class TickLoop(RoundEngine engine, IOptions<HostingOptions> options, ILogger<TickLoop> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, options.Value.TickSeconds)));
        do
        {
            try
            {
                var report = await engine.TickAsync(stoppingToken);
                foreach (var line in report.Lines) log.LogInformation("{Line}", line);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogError(e, "Tick failed; the next one will retry");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
