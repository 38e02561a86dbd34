namespace Protection.EmergencyAssistance.Funds;

public sealed record FundCreated(
    Guid FundId, string Name, string Currency, decimal OpeningBalance, string CreatedBy, DateTimeOffset At);

public sealed record FundToppedUp(Guid FundId, decimal Amount, string By, DateTimeOffset At);

/// <summary>An approved grant's amount is set aside; it can no longer be promised to another grant.</summary>
public sealed record FundsReserved(Guid FundId, Guid GrantId, decimal Amount, DateTimeOffset At);

/// <summary>A reservation (or what was left of it) went back to the available money.</summary>
public sealed record ReservationReleased(Guid FundId, Guid GrantId, decimal Amount, DateTimeOffset At);

/// <summary>Reserved money was paid out as a tranche.</summary>
public sealed record ReservedFundsPaid(Guid FundId, Guid GrantId, decimal Amount, DateTimeOffset At);

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

    /// <summary>Money held: everything paid in minus everything paid out.</summary>
    public decimal Balance => TotalIn - Disbursed;

    /// <summary>Money that can still be promised to a grant.</summary>
    public decimal Available => TotalIn - Disbursed - Reserved;

    public static Fund Create(FundCreated e) =>
        new(e.FundId, e.Name, e.Currency, e.OpeningBalance, 0, 0, e.CreatedBy, e.At, e.At);

    public Fund Apply(FundToppedUp e) => this with { TotalIn = TotalIn + e.Amount, LastChangedAt = e.At };

    public Fund Apply(FundsReserved e) => this with { Reserved = Reserved + e.Amount, LastChangedAt = e.At };

    public Fund Apply(ReservationReleased e) => this with { Reserved = Reserved - e.Amount, LastChangedAt = e.At };

    public Fund Apply(ReservedFundsPaid e) =>
        this with { Reserved = Reserved - e.Amount, Disbursed = Disbursed + e.Amount, LastChangedAt = e.At };
}
