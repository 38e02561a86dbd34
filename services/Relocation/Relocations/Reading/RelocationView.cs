using System.Text.Json.Serialization;
using Protection.Contracts.Relocation;
using Protection.Relocations.Cases;
using Protection.Relocations.Relocations.Watching;
using Protection.ServiceDefaults.Decisions;
using Protection.EventSourcing.PersonalData;

namespace Protection.Relocations.Relocations.Reading;

public sealed record DestinationView(string Country, string City);

public sealed record PlanView(
    DateOnly StartOn,
    DateOnly EndOn,
    DestinationView? Destination,
    string HostOrganisation,
    string? HostOrganisationId,
    string SecurityPlan,
    string? VisaPlan,
    string? ReturnStrategy,
    string PlannedBy,
    DateTimeOffset PlannedAt);

public sealed record PeopleView(int Total, int FamilyMembers, int Children);

public sealed record CheckInView(CheckInStatus Status, string? Note, string By, DateTimeOffset At);

public sealed record ExtensionView(DateOnly From, DateOnly To, string Reason, string By, DateTimeOffset At);

/// <summary>
/// One relocation as a reader sees it: in full (<see cref="RelocationView"/>) or, for the host organisation
/// without the defender's consent, only its dates (<see cref="RelocationDatesView"/>). Each serializes as
/// itself, without a discriminator.
/// </summary>
[JsonDerivedType(typeof(RelocationView))]
[JsonDerivedType(typeof(RelocationDatesView))]
public abstract record RelocationRead
{
    /// <summary>The view <paramref name="sight"/> allows (the caller has checked that it may read at all).</summary>
    public static RelocationRead For(
        Relocation r,
        CaseRecord? @case,
        CaseSeal? seal,
        RelocationOptions options,
        DateTimeOffset now,
        RelocationSight sight) =>
        sight == RelocationSight.DatesOnly
            ? RelocationDatesView.Of(r, now)
            : RelocationView.Of(r, @case, seal, options, now, sight);
}

/// <summary>
/// What the host organisation reads of a relocation without the defender's consent to share with it: the
/// dates and the check-in status, and nothing of the case, the people, the plan or any note. The id is
/// the relocation's (what the reader already asked for, and what tells one hosted relocation from another).
/// </summary>
public sealed record RelocationDatesView(
    Guid Id,
    RelocationState State,
    DateOnly? StartOn,
    DateOnly? EndOn,
    DateTimeOffset? DepartedAt,
    DateTimeOffset? ArrivedAt,
    DateTimeOffset? EndedAt,
    DateTimeOffset? ClosedAt,
    DateTimeOffset? LastCheckInAt,
    DateTimeOffset? NextCheckInDueAt,
    bool CheckInOverdue,
    bool CheckInMissed) : RelocationRead
{
    public static RelocationDatesView Of(Relocation r, DateTimeOffset now) => new(
        r.Id,
        r.State,
        r.Plan?.StartOn,
        r.Plan?.EndOn,
        r.DepartedAt,
        r.ArrivedAt,
        r.EndedAt,
        r.ClosedAt,
        r.CheckIns.Count == 0 ? null : r.CheckIns[^1].At,
        r.NextCheckInDueAt,
        RelocationView.IsCheckInOverdue(r, now),
        r.MissedCheckInFlaggedFor is not null);
}

/// <summary>
/// A relocation as its officer sees it: what every read and every step answers. Sealed parts read
/// "[erased]" once the case's personal data is erased, and "[withheld]" (the destination left out) for a
/// reader who does not see personal data; only the case's caseworkers are offered steps.
/// </summary>
public sealed record RelocationView(
    Guid Id,
    Guid CaseId,
    string CaseReference,
    RelocationState State,
    RelocationKind Kind,
    RelocationReason Reason,
    PeopleView People,
    bool WasRecommended,
    bool HostMayReceiveCaseDetails,
    int CheckInEveryDays,
    PlanView? Plan,
    IReadOnlyList<Funding> Funding,
    Guid? FundedBy,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    DateTimeOffset? DepartedAt,
    DateTimeOffset? ArrivedAt,
    DateTimeOffset? EndedAt,
    DateTimeOffset? ClosedAt,
    DateTimeOffset? NextCheckInDueAt,
    bool CheckInOverdue,
    bool CheckInMissed,
    IReadOnlyList<CheckInView> CheckIns,
    IReadOnlyList<ExtensionView> Extensions,
    bool StayEndingSoon,
    RelocationOutcome? Outcome,
    string? ClosingReason,
    IReadOnlyList<Transition> Transitions,
    IReadOnlyList<string> AllowedSteps,
    long Version) : RelocationRead, IVersioned
{
    public static RelocationView Of(
        Relocation r,
        CaseRecord? @case,
        CaseSeal? seal,
        RelocationOptions options,
        DateTimeOffset now,
        RelocationSight sight = RelocationSight.Caseworker)
    {
        var withheld = sight is RelocationSight.Withheld or RelocationSight.DatesOnly;
        string Text(SealedData? sealedData) =>
            sealedData is null ? string.Empty
            : withheld ? CaseKeys.Withheld
            : seal?.Open<string>(sealedData) ?? CaseKeys.Erased;

        return new RelocationView(
            r.Id,
            r.CaseId,
            r.CaseReference,
            r.State,
            r.Kind,
            r.Reason,
            new PeopleView(r.People, r.FamilyMembers, r.Children),
            r.WasRecommended,
            @case?.Consent?.ShareWithRelocationHost ?? false,
            (int)r.CheckInEvery.TotalDays,
            PlanOf(r.Plan, r.HostOrganisationId, withheld ? null : seal, withheld),
            r.Funding,
            r.FundedBy,
            r.RequestedBy,
            r.RequestedAt,
            r.DepartedAt,
            r.ArrivedAt,
            r.EndedAt,
            r.ClosedAt,
            r.NextCheckInDueAt,
            IsCheckInOverdue(r, now),
            r.MissedCheckInFlaggedFor is not null,
            r.CheckIns
                .Select(c => new CheckInView(c.Status, c.Note is null ? null : Text(c.Note), c.By, c.At))
                .ToArray(),
            r.Extensions.Select(x => new ExtensionView(x.From, x.To, Text(x.Reason), x.By, x.At)).ToArray(),
            RelocationWatch.EndsWithinNotice(options, r, now),
            r.Outcome,
            r.ClosingReason is null ? null : Text(r.ClosingReason),
            r.Transitions,
            sight == RelocationSight.Caseworker ? RelocationStateMachine.AllowedSteps(r.State) : [],
            r.Version);
    }

    /// <summary>Away and the next check-in's time has come.</summary>
    public static bool IsCheckInOverdue(Relocation r, DateTimeOffset now) => r.Away && r.NextCheckInDueAt <= now;

    private static PlanView? PlanOf(PlannedStay? plan, string? hostOrganisationId, CaseSeal? seal, bool withheld)
    {
        if (plan is null)
        {
            return null;
        }

        if (withheld)
        {
            return new PlanView(
                plan.StartOn,
                plan.EndOn,
                null,
                CaseKeys.Withheld,
                hostOrganisationId,
                CaseKeys.Withheld,
                null,
                null,
                plan.By,
                plan.At);
        }

        return seal?.Open<PlanDetails>(plan.Details) is { } details
            ? new PlanView(
                plan.StartOn,
                plan.EndOn,
                new DestinationView(details.DestinationCountry, details.DestinationCity),
                details.HostOrganisation,
                hostOrganisationId,
                details.SecurityPlan,
                details.VisaPlan,
                details.ReturnStrategy,
                plan.By,
                plan.At)
            : new PlanView(
                plan.StartOn,
                plan.EndOn,
                null,
                CaseKeys.Erased,
                hostOrganisationId,
                CaseKeys.Erased,
                null,
                null,
                plan.By,
                plan.At);
    }
}
