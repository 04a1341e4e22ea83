using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using KaWorkflow.Storage;

namespace KaWorkflow.Tests.Support;

/// <summary>One real Azurite (from the repo's node_modules) per test run, on free loopback ports; tests isolate by table prefix.</summary>
public sealed class Azurite : IDisposable
{
    private static readonly Lazy<Azurite> Shared = new(() => new Azurite(ServicesApart));
    public static Azurite Instance => Shared.Value;

    /// <summary>Whether the shared Azurite runs its three services as processes of their own, the queue's data on
    /// disk; set before first use.</summary>
    /// <remarks>A 300-lead quarter keeps one Node.js thread busy: apart, the table and queue services use both cores.
    /// And in memory Azurite's queue keeps every message as an extent of its own, whose sweep, once a minute, removes
    /// them one by one, rebuilding its indexes each time: after a minute of such a quarter it stopped the whole
    /// emulator for 16–25 s. On disk messages share a few extent files. (Tables stay in memory: on disk they are
    /// written out whole every 5 s.) The benchmarks use it; the tests, with far fewer messages, need not.</remarks>
    public static bool ServicesApart { get; set; }

    /// <summary>An Azurite of the test's own, on an account nothing has touched, stopped when disposed.</summary>
    public static Azurite StartFresh() => new(apart: false);

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            try { process.Kill(true); } catch (InvalidOperationException) { } // already gone
            process.Dispose();
        }
        RemoveFolder();
    }

    private void RemoveFolder()
    {
        try { if (_folder is not null) Directory.Delete(_folder, recursive: true); }
        catch (IOException) { } // still held by the dying process: the system's temporary folder clears it
    }

    /// <summary>A file system in memory, where the queue's files go if the machine has one: every queue request
    /// writes them, and on a disk its syncs wait for the disk.</summary>
    private const string Memory = "/dev/shm";

    private readonly List<Process> _processes = [];
    private readonly string? _folder;
    public int BlobPort { get; }
    public int TablePort { get; }
    public int QueuePort { get; }
    public string ConnectionString => StorageOptions.AzuriteConnectionString(BlobPort, TablePort, QueuePort);

    private Azurite(bool apart)
    {
        BlobPort = FreePort();
        TablePort = FreePort();
        QueuePort = FreePort();
        var dist = Path.Combine(RepoRoot.Path, "node_modules", "azurite", "dist", "src");
        if (!File.Exists(Path.Combine(dist, "azurite.js")))
            throw new InvalidOperationException(
                $"Azurite is not installed in {dist}: run the README's test command, which runs npm ci.");
        string[] common = ["--silent", "--skipApiVersionCheck", "--disableTelemetry"];
        string[] blob = ["--blobHost", "127.0.0.1", "--blobPort", BlobPort.ToString()];
        string[] queue = ["--queueHost", "127.0.0.1", "--queuePort", QueuePort.ToString()];
        string[] table = ["--tableHost", "127.0.0.1", "--tablePort", TablePort.ToString()];
        if (apart)
        {
            _folder = Directory.Exists(Memory)
                ? Directory.CreateDirectory(Path.Combine(Memory, "azurite-" + Guid.NewGuid().ToString("N"))).FullName
                : Directory.CreateTempSubdirectory("azurite-").FullName;
            Start([Path.Combine(dist, "blob", "main.js"), "--inMemoryPersistence", .. common, .. blob]);
            Start([Path.Combine(dist, "queue", "main.js"), "--location", _folder, .. common, .. queue]);
            Start([Path.Combine(dist, "table", "main.js"), "--inMemoryPersistence", .. common, .. table]);
        }
        else
            Start([Path.Combine(dist, "azurite.js"), "--inMemoryPersistence", .. common, .. blob, .. queue, .. table]);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var process in _processes)
                try { process.Kill(true); process.WaitForExit(5000); } catch { }
            RemoveFolder();
        };
        WaitFor(BlobPort);
        WaitFor(QueuePort);
        WaitFor(TablePort);
    }

    private void Start(string[] args)
    {
        var process = Process.Start(new ProcessStartInfo("node", args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
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
            if (_processes.FirstOrDefault(p => p.HasExited) is { } exited)
                throw new InvalidOperationException($"Azurite exited with {exited.ExitCode}.");
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
