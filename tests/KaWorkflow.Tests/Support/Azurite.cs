using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using KaWorkflow.Storage;

namespace KaWorkflow.Tests.Support;

/// <summary>One real Azurite (from the repo's node_modules) per test run, on free loopback ports; tests isolate by table prefix.</summary>
public sealed class Azurite : IDisposable
{
    private static readonly Lazy<Azurite> Shared = new(() => new Azurite(PersistOnDisk));
    public static Azurite Instance => Shared.Value;

    /// <summary>Whether the shared Azurite keeps its data in a temporary folder rather than in memory; set before
    /// first use.</summary>
    /// <remarks>In memory, Azurite's queue service keeps every message as an extent of its own, and its sweep, once a
    /// minute, removes the dead ones one by one, rebuilding its indexes each time: after a minute of a 300-lead quarter
    /// it stopped the whole emulator for 16–25 s. On disk messages share a few extent files. The benchmarks use it;
    /// the tests, with far fewer messages a minute, stay in memory.</remarks>
    public static bool PersistOnDisk { get; set; }

    /// <summary>An Azurite of the test's own, on an account nothing has touched, stopped when disposed.</summary>
    public static Azurite StartFresh() => new(onDisk: false);

    public void Dispose()
    {
        try { _process.Kill(true); } catch (InvalidOperationException) { } // already gone
        _process.Dispose();
        RemoveFolder();
    }

    private void RemoveFolder()
    {
        try { if (_folder is not null) Directory.Delete(_folder, recursive: true); }
        catch (IOException) { } // still held by the dying process: the system's temporary folder clears it
    }

    private readonly Process _process;
    private readonly string? _folder;
    public int BlobPort { get; }
    public int TablePort { get; }
    public int QueuePort { get; }
    public string ConnectionString => StorageOptions.AzuriteConnectionString(BlobPort, TablePort, QueuePort);

    private Azurite(bool onDisk)
    {
        BlobPort = FreePort();
        TablePort = FreePort();
        QueuePort = FreePort();
        var root = RepoRoot.Path;
        var script = Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
            throw new InvalidOperationException($"Azurite is not installed at {script}: run the README's test command, which runs npm ci.");
        _folder = onDisk ? Directory.CreateTempSubdirectory("azurite-").FullName : null;
        string[] persistence = _folder is null ? ["--inMemoryPersistence"] : ["--location", _folder];
        var start = new ProcessStartInfo("node",
        [
            script, .. persistence, "--silent", "--skipApiVersionCheck", "--disableTelemetry",
            "--blobHost", "127.0.0.1", "--blobPort", BlobPort.ToString(),
            "--queueHost", "127.0.0.1", "--queuePort", QueuePort.ToString(),
            "--tableHost", "127.0.0.1", "--tablePort", TablePort.ToString(),
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { _process.Kill(true); _process.WaitForExit(5000); } catch { }
            RemoveFolder();
        };
        WaitFor(BlobPort);
        WaitFor(TablePort);
    }

    /// <summary>Options for a test's own slice of the shared account.</summary>
    public StorageOptions NewStorage() => new()
    {
        ConnectionString = ConnectionString,
        TablePrefix = "t" + Guid.NewGuid().ToString("N")[..10],
        ReportsContainer = "r" + Guid.NewGuid().ToString("N")[..10],
    };

    private void WaitFor(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"Azurite exited with {_process.ExitCode}.");
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) { Thread.Sleep(50); }
        }
        throw new TimeoutException($"Azurite did not listen on {port} within 30 s.");
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>Finds the repository root (where KaWorkflow.sln lives) from the test binaries.</summary>
public static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "KaWorkflow.sln")))
                return dir.FullName;
        throw new InvalidOperationException("KaWorkflow.sln not found above " + AppContext.BaseDirectory);
    }
}
