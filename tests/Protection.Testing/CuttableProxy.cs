using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Protection.Testing;

/// <summary>
/// A TCP proxy on loopback in front of a real server (PostgreSQL), that a test can cut and restore: cut, it drops
/// every open connection and refuses new ones, as a database restarting or failing over does; restored, it forwards
/// again on the same port.
/// </summary>
public sealed class CuttableProxy : IAsyncDisposable
{
    private readonly DnsEndPoint _upstream;
    private readonly ConcurrentDictionary<TcpClient, byte> _open = new();
    private TcpListener? _listener;
    private CancellationTokenSource _running = new();

    private CuttableProxy(DnsEndPoint upstream, int port)
    {
        _upstream = upstream;
        Port = port;
    }

    /// <summary>The loopback port that forwards to the server.</summary>
    public int Port { get; }

    public static CuttableProxy Start(string host, int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var proxy = new CuttableProxy(new DnsEndPoint(host, port), ((IPEndPoint)listener.LocalEndpoint).Port);
        proxy.Listen(listener);
        return proxy;
    }

    /// <summary>Drops every connection and refuses new ones until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        _running.Cancel();
        _listener?.Stop();
        _listener = null;
        foreach (var client in _open.Keys)
        {
            client.Close();
        }

        _open.Clear();
    }

    /// <summary>Forwards again, on the same port.</summary>
    public void Restore()
    {
        _running = new CancellationTokenSource();
        var listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        Listen(listener);
    }

    private void Listen(TcpListener listener)
    {
        _listener = listener;
        var token = _running.Token;
        _ = Task.Run(async () =>
        {
            while (!token.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync(token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }

                _ = ForwardAsync(client, token);
            }
        }, CancellationToken.None);
    }

    private async Task ForwardAsync(TcpClient client, CancellationToken token)
    {
        var upstream = new TcpClient();
        _open[client] = 0;
        _open[upstream] = 0;
        try
        {
            await upstream.ConnectAsync(_upstream.Host, _upstream.Port, token);
            var down = client.GetStream();
            var up = upstream.GetStream();
            await Task.WhenAny(down.CopyToAsync(up, token), up.CopyToAsync(down, token));
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException
                                      or ObjectDisposedException)
        {
            // cut, or either side closed
        }
        finally
        {
            _open.TryRemove(client, out _);
            _open.TryRemove(upstream, out _);
            client.Close();
            upstream.Close();
        }
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        return ValueTask.CompletedTask;
    }
}
