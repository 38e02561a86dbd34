using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Protection.Relocations.Cases;
using Protection.ServiceDefaults.Decisions;
using Protection.ServiceDefaults.Http;
using Protection.EventSourcing.PersonalData;

namespace Protection.Relocations.Relocations.Reading;

/// <summary>
/// The relocations of one case, triage's recommendation if the case became critical, and relocation
/// money paid before any relocation was requested.
/// </summary>
public sealed record CaseRelocations(
    Recommendation? Recommendation,
    IReadOnlyList<Funding> WaitingFunding,
    IReadOnlyList<RelocationView> Items);

public static class GetCaseRelocations
{
    /// <summary>
    /// <c>GET /api/cases/{id}/relocations</c>: the case's relocations, oldest first; read only, and without
    /// the sealed details for a partner without personal data (<see cref="RelocationAccess.ReadingCase"/>).
    /// </summary>
    public static async Task<Results<Ok<CaseRelocations>, NotFoundProblem, ForbiddenProblem>> Handle(
        Guid id,
        HttpContext http,
        IQuerySession session,
        IOptions<RelocationOptions> options,
        CaseKeys keys,
        TimeProvider clock,
        CancellationToken cancellationToken) =>
        Answers.Read(http, await ReadAsync(id, http, session, options.Value, keys, clock, cancellationToken));

    private static async Task<Outcome<CaseRelocations>> ReadAsync(
        Guid id,
        HttpContext http,
        IQuerySession session,
        RelocationOptions options,
        CaseKeys keys,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var @case = await session.LoadAsync<CaseRecord>(id, cancellationToken);
        if (@case is null || !@case.IsKnown)
        {
            return Refusal.NotFound("The case");
        }

        var sight = RelocationAccess.ReadingCase(http.User, @case);
        if (sight.Refusal is { } refused)
        {
            return refused;
        }

        var seal = sight.Value == RelocationSight.Withheld
            ? null
            : await keys.ForReadingAsync(session, id, cancellationToken);
        var now = clock.GetUtcNow();
        var relocations = await session.Query<Relocation>()
            .Where(r => r.CaseId == id)
            .OrderBy(r => r.RequestedAt)
            .ToListAsync(cancellationToken);
        return new CaseRelocations(
            @case.Recommendation,
            @case.UnassignedFunding,
            relocations.Select(r => RelocationView.Of(r, @case, seal, options, now, sight.Value)).ToArray());
    }
}
