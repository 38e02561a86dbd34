using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.EventSourcing.PersonalData;
using Protection.ServiceDefaults.Http;

namespace Protection.Intake.Cases.Erasing;

/// <summary>
/// What an erasure of the case would destroy, as counts and kinds, never content: the administrator who
/// erases a case cannot read it.
/// </summary>
/// <param name="Threats">Threats recorded, each with a sealed account (description, exact place).</param>
/// <param name="Referrals">Referrals of the case, each with a sealed reason (and a decline's reason).</param>
/// <param name="Grants">Grant requests intake has learned of (their texts are sealed in emergency assistance).</param>
/// <param name="Relocations">Relocations intake has learned of (plans and notes sealed in relocation).</param>
/// <param name="Services">
/// The services that hold a key of the case as far as intake knows (intake while its key exists; triage once it
/// took the case in; assistance with a grant; relocation with a relocation); empty once erased.
/// </param>
public sealed record ErasureSummaryResponse(
    Guid CaseId,
    string Reference,
    bool Erased,
    DateTimeOffset? ErasedAt,
    int Threats,
    int Referrals,
    int Grants,
    int Relocations,
    IReadOnlyList<string> Services);

public static class ErasureSummary
{
    /// <summary>
    /// <c>GET /api/cases/{id}/erasure</c> (admin): the reference, whether the case is erased already, and what
    /// its erasure would destroy, counted. No personal data and no staff text: only numbers and service names.
    /// </summary>
    public static async Task<Results<Ok<ErasureSummaryResponse>, NotFoundProblem>> Handle(
        Guid id, IQuerySession session, CancellationToken cancellationToken)
    {
        var batch = session.CreateBatchQuery();
        var loadCase = batch.Load<Case>(id);
        var loadProgress = batch.Load<CaseProgress>(id);
        var loadKey = batch.Load<CaseKey>(id);
        await batch.Execute(cancellationToken);
        if (await loadCase is not { } @case)
        {
            return NotFoundProblem.For("The case");
        }

        var facts = (await loadProgress ?? CaseProgress.Of(id)).Facts;
        var grants = Learned(facts, LearnedKind.GrantOpened);
        var relocations = Learned(facts, LearnedKind.RelocationOpened);
        var erased = @case.ErasedAt is not null;
        List<string> services = [];
        if (!erased)
        {
            if (await loadKey is not null)
            {
                services.Add("intake");
            }

            if (facts.Any(f => f.TriageVersion is not null))
            {
                services.Add("triage");
            }

            if (grants > 0)
            {
                services.Add("assistance");
            }

            if (relocations > 0)
            {
                services.Add("relocation");
            }
        }

        return TypedResults.Ok(new ErasureSummaryResponse(
            @case.Id,
            @case.Reference,
            erased,
            @case.ErasedAt,
            @case.Threats.Count,
            @case.Referrals.Count,
            grants,
            relocations,
            services));
    }

    private static int Learned(IEnumerable<LearnedFact> facts, LearnedKind opened) =>
        facts.Where(f => f.Kind == opened).Select(f => f.Subject).Distinct().Count();
}
