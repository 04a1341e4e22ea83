using System.Net;
using System.Net.Sockets;

namespace KaWorkflow.Tests.Support;

/// <summary>
/// A loopback TCP forwarder in front of Azurite that a test can shut (refused connections, cut sockets) or freeze
/// (connections accepted, never answered: a storage that hangs), and then restore.
/// </summary>
public sealed class TcpGate : IAsyncDisposable
{
    private readonly int _target;
    private readonly List<TcpClient> _open = [];
    private TcpListener? _listener;
    private volatile bool _frozen;
    public int Port { get; } = Azurite.FreePort();

    public TcpGate(int target)
    {
        _target = target;
        Open();
    }

    /// <summary>Starts accepting and forwarding connections.</summary>
    public void Open()
    {
        if (_frozen)
        {
            Cut(); // the silent connections; the listener is still running
            _frozen = false;
            return;
        }
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start();
        var listener = _listener;
        _ = Task.Run(async () =>
        {
            while (true)
            {
                TcpClient client;
                try { client = await listener.AcceptTcpClientAsync(); }
                catch (Exception e) when (e is SocketException or ObjectDisposedException) { return; }
                _ = ForwardAsync(client);
            }
        });
    }

    /// <summary>Cuts every connection and refuses new ones until <see cref="Open"/>.</summary>
    public void Shut()
    {
        _frozen = false;
        _listener?.Stop();
        _listener = null;
        Cut();
    }

    /// <summary>Cuts every connection; new ones are accepted and then left unanswered until <see cref="Open"/>.</summary>
    public void Freeze()
    {
        _frozen = true;
        Cut();
    }

    private void Cut()
    {
        lock (_open)
        {
            foreach (var c in _open) c.Dispose();
            _open.Clear();
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        if (_frozen)
        {
            lock (_open) _open.Add(client); // held open, silent, until the test opens or shuts the gate
            return;
        }
        using var server = new TcpClient();
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, _target);
            lock (_open) { _open.Add(client); _open.Add(server); }
            var a = client.GetStream().CopyToAsync(server.GetStream());
            var b = server.GetStream().CopyToAsync(client.GetStream());
            await Task.WhenAny(a, b);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException) { }
        finally { client.Dispose(); }
    }

    public ValueTask DisposeAsync()
    {
        Shut();
        return ValueTask.CompletedTask;
    }
}
