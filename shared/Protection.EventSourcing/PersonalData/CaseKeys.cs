using System.Security.Cryptography;
using Marten;
namespace Protection.EventSourcing.PersonalData;

/// <summary>
/// The case's data key in one service (that service's own <see cref="CaseKey"/> document, made when it
/// first seals something of the case): free text, plans, notes and reasons are sealed with it.
/// Erasure (<see cref="DestroyCaseKey"/>) deletes it, and every sealed value of the case reads as
/// <see cref="Erased"/> from then on, while the events and their hashes stay as they were.
/// </summary>
public sealed class CaseKeys(PersonalDataVault vault)
{
    public const string Erased = "[erased]";

    /// <summary>What a reader sees in place of a sealed text their role does not read.</summary>
    public const string Withheld = "[withheld]";

    /// <summary>
    /// Loads the case's key, or makes one (stored with the session's other changes) when
    /// <paramref name="create"/>.
    /// </summary>
    public async Task<CaseSeal?> ForCaseAsync(
        IDocumentSession session, Guid caseId, bool create, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<CaseKey>(caseId, cancellationToken) is { } stored)
        {
            return new CaseSeal(vault, caseId, vault.Unwrap(stored));
        }

        if (!create)
        {
            return null;
        }

        var (key, fresh) = vault.NewCaseKey(caseId, now);
        session.Insert(fresh);
        return new CaseSeal(vault, caseId, key);
    }

    /// <summary>
    /// For reading: the key when the case's personal data still exists, else a seal that shows everything
    /// as erased.
    /// </summary>
    public async Task<CaseSeal?> ForReadingAsync(
        IQuerySession session, Guid caseId, CancellationToken cancellationToken) =>
        await session.LoadAsync<CaseKey>(caseId, cancellationToken) is { } stored
            ? new CaseSeal(vault, caseId, vault.Unwrap(stored))
            : null;

    /// <summary>
    /// Opens a sealed text for a reader: the text, <see cref="Erased"/> after erasure, or null when nothing
    /// was sealed.
    /// </summary>
    public static string? Text(CaseSeal? seal, SealedData? sealedData) =>
        sealedData is null ? null : seal?.Open<string>(sealedData) ?? Erased;
}

/// <summary>Seals and opens one case's values.</summary>
public sealed class CaseSeal(PersonalDataVault vault, Guid caseId, byte[] key)
{
    public SealedData Seal<T>(T value) => vault.Seal(key, caseId, value);

    public T? Open<T>(SealedData? sealedData)
        where T : class
    {
        if (sealedData is null)
        {
            return null;
        }

        try
        {
            return vault.Open<T>(key, caseId, sealedData);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
