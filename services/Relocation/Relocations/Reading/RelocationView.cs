using Protection.Contracts.Relocation;
using Protection.Relocations.Cases;
using Protection.Relocations.Relocations.Watching;
using Protection.ServiceDefaults.Decisions;
using Protection.ServiceDefaults.PersonalData;

namespace Protection.Relocations.Relocations.Reading;

public sealed record DestinationView(string Country, string City);

public sealed record PlanView(
    DateOnly StartOn,
    DateOnly EndOn,
    DestinationView? Destination,
    string HostOrganisation,
    string SecurityPlan,
    string? VisaPlan,
    string? ReturnStrategy,
    string PlannedBy,
    DateTimeOffset PlannedAt);

public sealed record PeopleView(int Total, int FamilyMembers, int Children);

public sealed record CheckInView(CheckInStatus Status, string? Note, string By, DateTimeOffset At);

public sealed record ExtensionView(DateOnly From, DateOnly To, string Reason, string By, DateTimeOffset At);

/// <summary>
/// A relocation as its officer sees it: what every read and every step answers. Sealed parts read
/// "[erased]" once the case's personal data is erased.
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
    long Version) : IVersioned
{
    public static RelocationView Of(
        Relocation r, CaseRecord? @case, CaseSeal? seal, RelocationOptions options, DateTimeOffset now)
    {
        string Text(SealedData? sealedData) =>
            sealedData is null ? string.Empty : seal?.Open<string>(sealedData) ?? CaseKeys.Erased;

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
            PlanOf(r.Plan, seal),
            r.Funding,
            r.FundedBy,
            r.RequestedBy,
            r.RequestedAt,
            r.DepartedAt,
            r.ArrivedAt,
            r.EndedAt,
            r.ClosedAt,
            r.NextCheckInDueAt,
            r.Away && r.NextCheckInDueAt <= now,
            r.MissedCheckInFlaggedFor is not null,
            r.CheckIns
                .Select(c => new CheckInView(c.Status, c.Note is null ? null : Text(c.Note), c.By, c.At))
                .ToArray(),
            r.Extensions.Select(x => new ExtensionView(x.From, x.To, Text(x.Reason), x.By, x.At)).ToArray(),
            RelocationWatch.EndsWithinNotice(options, r, now),
            r.Outcome,
            r.ClosingReason is null ? null : Text(r.ClosingReason),
            r.Transitions,
            RelocationStateMachine.AllowedSteps(r.State),
            r.Version);
    }

    private static PlanView? PlanOf(PlannedStay? plan, CaseSeal? seal)
    {
        if (plan is null)
        {
            return null;
        }

        return seal?.Open<PlanDetails>(plan.Details) is { } details
            ? new PlanView(
                plan.StartOn,
                plan.EndOn,
                new DestinationView(details.DestinationCountry, details.DestinationCity),
                details.HostOrganisation,
                details.SecurityPlan,
                details.VisaPlan,
                details.ReturnStrategy,
                plan.By,
                plan.At)
            : new PlanView(
                plan.StartOn, plan.EndOn, null, CaseKeys.Erased, CaseKeys.Erased, null, null, plan.By, plan.At);
    }
}
