using System.Diagnostics;

namespace KaWorkflow.Tests.Support;

/// <summary>The local host's command line run as a user runs it: a process, its exit code and what it printed.</summary>
public static class LocalCli
{
    public sealed record Run(int ExitCode, string Output, string Errors)
    {
        public string[] ErrorLines => Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public static async Task<Run> RunAsync(params string[] args)
    {
        using var process = Process.Start(Command(args))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Run(process.ExitCode, await output, await errors);
    }

    private static ProcessStartInfo Command(string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "KaWorkflow.Local.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        return start;
    }

    /// <summary>A command that keeps running (<c>serve</c>), started and answering on <paramref name="url"/>;
    /// stopped when disposed.</summary>
    public static async Task<Served> ServeAsync(string url, params string[] args)
    {
        var process = Process.Start(Command(args))!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"serve exited with {process.ExitCode}: {output}");
            try
            {
                if ((await http.GetAsync("/api/health")).IsSuccessStatusCode) return new Served(process, output);
            }
            catch (HttpRequestException) { }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"serve did not answer at {url}: {output}");
            await Task.Delay(200);
        }
    }

    /// <summary>A running command; what it has printed so far.</summary>
    public sealed class Served(Process process, System.Text.StringBuilder output) : IDisposable
    {
        public string Output
        {
            get { lock (output) return output.ToString(); }
        }

        public void Dispose()
        {
            try { process.Kill(true); process.WaitForExit(10_000); } catch (InvalidOperationException) { }
            process.Dispose();
        }
    }
}
