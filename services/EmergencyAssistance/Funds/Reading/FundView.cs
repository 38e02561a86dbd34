using Protection.ServiceDefaults.Decisions;

namespace Protection.EmergencyAssistance.Funds.Reading;

public sealed record FundView(
    Guid Id,
    string Name,
    string Currency,
    decimal Balance,
    decimal Reserved,
    decimal Disbursed,
    decimal Available,
    decimal TotalIn,
    long Version) : IVersioned
{
    public static FundView Of(Fund f) =>
        new(f.Id, f.Name, f.Currency, f.Balance, f.Reserved, f.Disbursed, f.Available, f.TotalIn, f.Version);
}
