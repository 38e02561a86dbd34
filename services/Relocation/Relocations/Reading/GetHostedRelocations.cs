using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Protection.EventSourcing.Audit;
using Protection.EventSourcing.PersonalData;
using Protection.Relocations.Cases;
using Protection.ServiceDefaults.Audit;
using Protection.ServiceDefaults.Auth;

namespace Protection.Relocations.Relocations.Reading;

/// <summary>
/// The relocations hosted by the reader's organisation, newest first: each a <see cref="RelocationView"/> or a
/// <see cref="RelocationDatesView"/>, serialized as itself (declared as any JSON: a polymorphic schema would
/// carry a discriminator, which the views do not have).
/// </summary>
public sealed record HostedRelocations(IReadOnlyList<object> Items);

public static class GetHostedRelocations
{
    /// <summary>
    /// <c>GET /api/relocations/hosted</c>: the relocations whose plan names the reader's organisation as
    /// host, newest first, each as <see cref="RelocationAccess.Reading"/> allows (in full with the defender's
    /// consent to share with the host, only dates and check-ins without it). One query: the relocations with
    /// their cases and the cases' keys. Each case read is recorded in its access log, as a read of one is.
    /// </summary>
    public static async Task<Ok<HostedRelocations>> Handle(
        HttpContext http,
        IQuerySession session,
        IOptions<RelocationOptions> options,
        PersonalDataVault vault,
        CaseAccessLog accessLog,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (http.User.OrganisationId() is not { Length: > 0 } organisation)
        {
            return TypedResults.Ok(new HostedRelocations([]));
        }

        var cases = new Dictionary<Guid, CaseRecord>();
        var keys = new Dictionary<Guid, CaseKey>();
        var hosted = await session.Query<Relocation>()
            .Include(r => r.CaseId, cases)
            .Include(r => r.CaseId, keys)
            .Where(r => r.HostOrganisationId == organisation)
            .OrderByDescending(r => r.RequestedAt)
            .ToListAsync(cancellationToken);

        var now = clock.GetUtcNow();
        var items = new List<object>(hosted.Count);
        var read = new HashSet<Guid>();
        foreach (var relocation in hosted)
        {
            var @case = cases.GetValueOrDefault(relocation.CaseId);
            var reading = RelocationAccess.Reading(http.User, @case, relocation);
            if (reading.Refusal is not null)
            {
                continue;
            }

            var sight = reading.Value;
            read.Add(relocation.CaseId);
            var seal = sight is RelocationSight.Caseworker or RelocationSight.ReadOnly
                && keys.GetValueOrDefault(relocation.CaseId) is { } key
                ? new CaseSeal(vault, relocation.CaseId, vault.Unwrap(key))
                : null;
            items.Add(RelocationRead.For(relocation, @case, seal, options.Value, now, sight));
        }

        foreach (var caseId in read)
        {
            await accessLog.RecordAsync(caseId, CaseReads.Relocations, StatusCodes.Status200OK, cancellationToken);
        }

        return TypedResults.Ok(new HostedRelocations(items));
    }
}
