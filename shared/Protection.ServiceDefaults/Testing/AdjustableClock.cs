using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Protection.ServiceDefaults.Testing;

/// <summary>
/// The system clock plus an offset that end-to-end tests move forward (deadlines, missed
/// check-ins) through <c>POST /testing/clock</c>. Only in Development, and only when
/// <c>Testing:AdjustableClock</c> is true; a service refuses to start with it anywhere else.
/// Authentication keeps the real clock, so tokens stay valid while domain time jumps.
/// </summary>
public sealed class AdjustableClock : TimeProvider
{
    public const string Setting = "Testing:AdjustableClock";

    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    /// <summary>The clock domain code gets: the adjustable one when enabled, otherwise the system clock.</summary>
    internal static void Register(IHostApplicationBuilder builder)
    {
        if (!builder.Configuration.GetValue<bool>(Setting))
        {
            builder.Services.AddSingleton(TimeProvider.System);
            return;
        }

        if (!builder.Environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                $"{Setting} is for tests and is allowed only with ASPNETCORE_ENVIRONMENT=Development. Remove it.");
        }

        var clock = new AdjustableClock();
        builder.Services.AddSingleton(clock);
        builder.Services.AddSingleton<TimeProvider>(clock);
    }

    internal static void MapEndpoint(WebApplication app)
    {
        if (app.Services.GetService<AdjustableClock>() is not { } clock)
        {
            return;
        }

        app.MapPost("/testing/clock", (ClockAdvance input) =>
        {
            clock.Advance(input.AdvanceBy);
            return Now(clock);
        }).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/testing/clock", () => Now(clock)).AllowAnonymous().ExcludeFromDescription();
    }

    private static IResult Now(AdjustableClock clock) =>
        Results.Ok(new { now = clock.GetUtcNow(), offset = clock.Offset });

    private sealed record ClockAdvance(TimeSpan AdvanceBy);
}
