namespace Protection.Bench.Driver;

public static class Arguments
{
    public static BenchSettings Parse(string[] args)
    {
        var settings = new BenchSettings();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length
                ? args[++i]
                : throw new ArgumentException($"{args[i]} needs a value.");
            settings = args[i] switch
            {
                "--quick" => settings with { Quick = true },
                "--no-micro" => settings with { Micro = false },
                "--only" => settings with
                {
                    Only = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                },
                "--startup" => settings with { StartupFile = Value() },
                "--results" => settings with { ResultsDirectory = Value() },
                "--readme" => settings with { Readme = Value() },
                "--pids" => settings with { PidDirectory = Value() },
                "--gateway" => settings with { Gateway = new Uri(Value()) },
                "--postgres" => settings with { PostgresHost = Value() },
                "--intake" => settings with { Intake = new Uri(Value()) },
                "--triage" => settings with { Triage = new Uri(Value()) },
                "--bare-proxy" => settings with { BareProxy = new Uri(Value()) },
                "--databases" => settings with { DatabasePrefix = Value() },
                "--rabbitmq" => settings with { RabbitMq = Value() },
                _ => throw new ArgumentException(
                    $"Unknown argument {args[i]}. Use: [--quick] [--no-micro] "
                    + "[--only throughput,freshness,gateway,grants,history] [--startup FILE] [--results DIR] "
                    + "[--readme FILE] [--pids DIR] [--gateway URL] [--postgres CONNECTION] "
                    + "[--intake URL] [--triage URL] [--bare-proxy URL] [--databases PREFIX] [--rabbitmq URL]"),
            };
        }

        return settings;
    }
}
