using KaWorkflow.Rounds;
using Microsoft.Extensions.Options;

namespace KaWorkflow.Hosting;

/// <summary>The local host's quarterly timer: the same <see cref="RoundEngine.OnScheduleAsync"/> the Functions timer
/// trigger calls, every <see cref="HostingOptions.ScheduleSeconds"/>.</summary>
public sealed class ScheduleLoop(RoundEngine engine, IOptions<HostingOptions> options, ILogger<ScheduleLoop> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, options.Value.ScheduleSeconds)));
        do
        {
            try
            {
                foreach (var line in await engine.OnScheduleAsync(stoppingToken)) log.LogInformation("{Line}", line);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogError(e, "The schedule check failed; the next one will retry");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
