using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Protection.EndToEndTests;

/// <summary>
/// One built service started as its own process on a free loopback port, as deploy/local/up.sh starts it.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    /// <summary>Where the output is also written, when the test run keeps it (see <see cref="LogFor"/>).</summary>
    private readonly StreamWriter? _log;

    private bool _logClosed;

    private ServiceProcess(string name, Process process, Uri address, StreamWriter? log)
    {
        Name = name;
        _process = process;
        Address = address;
        _log = log;
    }

    /// <summary>
    /// A file for the process's output in <c>PROTECTION_TEST_SERVICE_LOGS</c> (deploy/local/test.sh sets it, and
    /// prints the warnings and errors of every file when a test failed): a failure in a run nobody watched, such as
    /// a message that never arrived, can then be traced to the service that dropped it.
    /// </summary>
    private static StreamWriter? LogFor(string name, int port)
    {
        if (Environment.GetEnvironmentVariable("PROTECTION_TEST_SERVICE_LOGS") is not { Length: > 0 } folder)
        {
            return null;
        }

        Directory.CreateDirectory(folder);
        return new StreamWriter(Path.Combine(folder, $"{name}-{port}.log"), append: true) { AutoFlush = true };
    }

    private void Received(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        if (_log is { } log)
        {
            lock (log)
            {
                if (!_logClosed)
                {
                    log.WriteLine(line);
                }
            }
        }
    }

    public string Name { get; }

    public Uri Address { get; }

    /// <summary>Everything the process printed, for failure messages and for checking what it logs.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>Starts the service (on <paramref name="port"/>, or a free one) and waits until it is ready.</summary>
    public static async Task<ServiceProcess> StartAsync(
        string name, string assemblyPath, IDictionary<string, string> environment, int? port = null)
    {
        var service = Launch(name, assemblyPath, environment, [], port ?? FreePort());
        try
        {
            await service.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
            return service;
        }
        catch
        {
            // Not ready: the caller never gets it to stop, so it is stopped here rather than left running.
            await service.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Runs the assembly with <paramref name="arguments"/> (a command, or a start expected to fail) until it exits.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(
        string name,
        string assemblyPath,
        IDictionary<string, string> environment,
        IReadOnlyList<string> arguments,
        TimeSpan within)
    {
        await using var service = Launch(name, assemblyPath, environment, arguments, FreePort());
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await service._process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            var command = $"{name} {string.Join(' ', arguments)}";
            throw new TimeoutException($"{command} did not exit within {within.TotalSeconds} s:\n{service.Output}");
        }

        service._process.WaitForExit(); // drains the output handlers
        return (service._process.ExitCode, service.Output);
    }

    private static ServiceProcess Launch(string name, string assemblyPath, IDictionary<string, string> environment,
        IReadOnlyList<string> arguments, int port)
    {
        if (!File.Exists(assemblyPath))
        {
            throw new FileNotFoundException(
                $"{assemblyPath} is not built. Build the solution first (dotnet build Protection.sln).");
        }

        var info = new ProcessStartInfo("dotnet", [assemblyPath, .. arguments, "--urls", $"http://127.0.0.1:{port}"])
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
        var service = new ServiceProcess(name, process, new Uri($"http://127.0.0.1:{port}/"), LogFor(name, port));
        process.OutputDataReceived += (_, e) => service.Received(e.Data);
        process.ErrorDataReceived += (_, e) => service.Received(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
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
                throw new InvalidOperationException(
                    $"{Name} exited with code {_process.ExitCode} before it was ready:\n{Output}");
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

    public static int FreePort()
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
        if (_log is { } log)
        {
            lock (log)
            {
                _logClosed = true;
                log.Dispose();
            }
        }
    }
}
