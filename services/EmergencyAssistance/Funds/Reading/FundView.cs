using Protection.ServiceDefaults.Decisions;

namespace Protection.EmergencyAssistance.Funds.Reading;

/// <summary>A fund in full, for the funders of its organisation: its figures and version.</summary>
public sealed record FundView(
    Guid Id,
    string Name,
    string Currency,
    string? Organisation,
    decimal Balance,
    decimal Reserved,
    decimal Disbursed,
    decimal Available,
    decimal TotalIn,
    long Version) : IVersioned
{
    public static FundView Of(Fund f) => new(
        f.Id, f.Name, f.Currency, f.Organisation, f.Balance, f.Reserved, f.Disbursed, f.Available, f.TotalIn,
        f.Version);
}
