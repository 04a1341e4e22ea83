using System.Net.Http.Json;
using KaWorkflow.Reminders;
using KaWorkflow.Rounds;
using KaWorkflow.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static KaWorkflow.Tests.Support.Times;

namespace KaWorkflow.Tests.Reminders;

/// <summary>The chase calendar preview, against a quarter that actually runs with nobody replying.</summary>
public sealed class ChaseCalendarTests
{
    private static readonly Quarter Q4 = new(2024, 4); // ends 31 March 2025; Easter falls in the chase

    private static string Line(DateTimeOffset at, string to, IEnumerable<string> cc, string subject) =>
        $"{TimeZoneInfo.ConvertTime(at, WorkingCalendar.London):yyyy-MM-dd HH:mm} {to} cc[{string.Join(",", cc.Order())}] {subject}";

    [Fact]
    public async Task The_preview_before_opening_lists_exactly_what_an_unanswered_quarter_then_sends()
    {
        await using var app = await TestApp.StartAsync(London(4, 4, 8, year: 2025));
        await app.ImportSampleRegisterAsync();
        var preview = await (await app.Http.SendAsync(app.AsPerformanceTeam(HttpMethod.Get,
            $"/api/admin/rounds/{Q4.RoundId}/chase-calendar")))
            .Content.ReadFromJsonAsync<List<PlannedMail>>() ?? [];

        // Nobody replies: tick every hour, as the timer would, until chasing has run its course.
        await app.RunUntilAsync(London(5, 20, 18, year: 2025));

        var sent = (await app.MailAsync()).Select(m => Line(m.ReceivedAt, m.To.Single(), m.Cc, m.Subject)).Order().ToList();
        Assert.Equal(preview.Select(p => Line(p.At, p.To, p.Cc, p.Subject)).Order(), sent);
        Assert.Equal(5 * 9, sent.Count); // an invite and eight reminders per lead

        // The round opened on the 5th working day after quarter end and is due ten working days later, skipping Easter.
        var round = (await app.Services.GetRequiredService<RoundStore>().GetHeaderAsync(Q4.RoundId))!;
        Assert.Equal(London(4, 7, 9, year: 2025), round.OpenedAt);
        Assert.Equal(London(4, 23, 17, year: 2025), round.Deadline);
        Assert.All(preview,
            p => Assert.True(WorkingCalendar.Default.IsWorkingDay(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(p.At,
                WorkingCalendar.London).DateTime))));
        var planning = preview.Where(p => p.To == "co.planning@council.example").ToList();
        Assert.Equal("Key Activity update for Q4 2024-25: due Wednesday 23 April", planning[0].Subject);
        Assert.Equal(London(4, 16, 9, year: 2025),
            planning[1].At); // three working days before the deadline: 17 and 22 April, Easter between
        Assert.Equal(London(4, 23, 9, year: 2025), planning[2].At);
        Assert.Equal(London(4, 25, 9, year: 2025), planning[3].At);
        Assert.All(planning.Take(5), p => Assert.Empty(p.Cc));
        Assert.All(planning.Skip(5), p => Assert.Equal(["performance@council.example"], p.Cc));
        var finance = preview.Where(p => p.To == "co.finance@council.example").ToList(); // the register names their escalation contact
        Assert.All(finance.Skip(5), p => Assert.Equal(["chief.executive@council.example", "performance@council.example"], p.Cc.Order()));
    }

    [Fact]
    public async Task The_command_line_prints_the_calendar()
    {
        await using var app = await TestApp.StartAsync(London(4, 4, 8, year: 2025));
        await app.ImportSampleRegisterAsync();
        var mails = await app.Services.GetRequiredService<RoundAdmin>().ChaseCalendarAsync(Q4, London(4, 14, 10, year: 2025));
        Assert.Equal(London(4, 14, 10, year: 2025), mails[0].At);
        Assert.Equal(45, mails.Count);
    }

    [Fact]
    public async Task Mid_round_the_calendar_leaves_out_leads_who_have_submitted()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        await app.SubmitAllAsync("co.finance@council.example");
        var mails = await app.Services.GetRequiredService<RoundAdmin>().ChaseCalendarAsync(new Quarter(2020, 1), null);
        Assert.DoesNotContain(mails, m => m.To == "co.finance@council.example");
        Assert.Equal(4, mails.Select(m => m.To).Distinct().Count());
    }
}
