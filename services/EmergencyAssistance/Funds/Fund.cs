using Protection.EventSourcing.EventStore;

namespace Protection.EmergencyAssistance.Funds;

// A fund's events, in its own stream: each says what it does to the figures. Funds are shared by many
// cases, so the auditor verifies their chains but reads none of their lines in a case's history.

/// <summary>
/// A funder created a fund for their organisation (<see cref="Organisation"/>, the creator's <c>org</c>; null
/// for a fund created before organisations existed, which belongs to no one).
/// </summary>
public sealed record FundCreated(
    Guid FundId,
    string Name,
    string Currency,
    decimal OpeningBalance,
    string CreatedBy,
    DateTimeOffset At,
    string? Organisation = null) : IStartOf<Fund>
{
    public Fund Start() =>
        new(FundId, Name, Currency, OpeningBalance, 0, 0, CreatedBy, At, At) { Organisation = Organisation };

    public string Describe() =>
        $"Fund created by {CreatedBy} in {Currency} with {OpeningBalance}"
        + (Organisation is null ? string.Empty : $" for organisation {Organisation}");
}

public sealed record FundToppedUp(Guid FundId, decimal Amount, string By, DateTimeOffset At) : IEventOf<Fund>
{
    public Fund Apply(Fund state) => state with { TotalIn = state.TotalIn + Amount, LastChangedAt = At };

    public string Describe() => $"Topped up by {By} with {Amount}";
}

/// <summary>An approved grant's amount is set aside; it can no longer be promised to another grant.</summary>
public sealed record FundsReserved(Guid FundId, Guid GrantId, decimal Amount, DateTimeOffset At) : IEventOf<Fund>
{
    public Fund Apply(Fund state) => state with { Reserved = state.Reserved + Amount, LastChangedAt = At };

    public string Describe() => $"{Amount} reserved for grant {GrantId}";
}

/// <summary>A reservation (or what was left of it) went back to the available money.</summary>
public sealed record ReservationReleased(Guid FundId, Guid GrantId, decimal Amount, DateTimeOffset At)
    : IEventOf<Fund>
{
    public Fund Apply(Fund state) => state with { Reserved = state.Reserved - Amount, LastChangedAt = At };

    public string Describe() => $"{Amount} reserved for grant {GrantId} released";
}

/// <summary>Reserved money was paid out as a tranche.</summary>
public sealed record ReservedFundsPaid(Guid FundId, Guid GrantId, decimal Amount, DateTimeOffset At)
    : IEventOf<Fund>
{
    public Fund Apply(Fund state) => state with
    {
        Reserved = state.Reserved - Amount,
        Disbursed = state.Disbursed + Amount,
        LastChangedAt = At,
    };

    public string Describe() => $"{Amount} reserved for grant {GrantId} paid out";
}

/// <summary>
/// A fund: an event-sourced stream whose figures always add up: <c>Balance = In - Disbursed</c>,
/// <c>Available = Balance - Reserved</c>, and no event that would take <see cref="Available"/> below
/// zero is ever appended (decisions are checked against the version they append at).
/// </summary>
public sealed record Fund(
    Guid Id,
    string Name,
    string Currency,
    decimal TotalIn,
    decimal Reserved,
    decimal Disbursed,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastChangedAt)
{
    public long Version { get; set; }

    /// <summary>
    /// The organisation whose funders see, decide on and pay from the fund; null for a fund created before
    /// organisations existed (no funder's).
    /// </summary>
    public string? Organisation { get; init; }

    /// <summary>Money held: everything paid in minus everything paid out.</summary>
    public decimal Balance => TotalIn - Disbursed;

    /// <summary>Money that can still be promised to a grant.</summary>
    public decimal Available => TotalIn - Disbursed - Reserved;
}
