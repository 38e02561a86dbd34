namespace Protection.EmergencyAssistance.Funds;

public static class Money
{
    /// <summary>Amounts are kept to the cent.</summary>
    public static decimal Round(decimal amount) => decimal.Round(amount, 2, MidpointRounding.ToEven);

    public static bool HasMoreThanCents(decimal amount) => amount != Round(amount);
}
