using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Protection.EndToEndTests;

/// <summary>One built service started as its own process on a free loopback port, as deploy/local/up.sh starts it.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServiceProcess(string name, Process process, Uri address)
    {
        Name = name;
        _process = process;
        Address = address;
    }

    public string Name { get; }

    public Uri Address { get; }

    /// <summary>Everything the process printed, for failure messages and for checking what it logs.</summary>
    public string Output => string.Join('\n', _output);

    public static async Task<ServiceProcess> StartAsync(string name, string assemblyPath, IDictionary<string, string> environment)
    {
        if (!File.Exists(assemblyPath))
        {
            throw new FileNotFoundException($"{assemblyPath} is not built. Build the solution first (dotnet build Protection.sln).");
        }

        var port = FreePort();
        var info = new ProcessStartInfo("dotnet", [assemblyPath, "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(assemblyPath)!,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {name}.");
        var service = new ServiceProcess(name, process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) service._output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) service._output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await service.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        return service;
    }

    private async Task WaitUntilReadyAsync(TimeSpan within)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                if ((await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // not answering yet
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{Name} was not ready within {within.TotalSeconds} s:\n{Output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
