using System.Diagnostics;

namespace KaWorkflow.Tests.Support;

/// <summary>Runs a Debian tool the tests rely on (soffice, pdftotext, pdfinfo, pdftoppm) and returns its output.</summary>
public static class ExternalTool
{
    public static async Task<string> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"{file} did not start; the README's test command installs it.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{file} exited {process.ExitCode}: {await error}");
        return await output;
    }
}
