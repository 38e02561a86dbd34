using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Protection.Contracts.Assistance;
using Protection.Contracts.Triage;
using Protection.EmergencyAssistance.Cases;
using Protection.EmergencyAssistance.Funds;
using Protection.ServiceDefaults.Http;
using Protection.EventSourcing.PersonalData;

namespace Protection.EmergencyAssistance.Grants;

/// <summary>The grant rules of the brief, all configurable (<c>Assistance:*</c>).</summary>
public sealed class AssistanceOptions
{
    public const string Section = "Assistance";

    /// <summary>Most a single grant may be, in the fund's currency.</summary>
    public decimal GrantCap { get; set; } = 10_000;

    /// <summary>An amount above this needs two approvals by two different funders.</summary>
    public decimal TwoApprovalsAbove { get; set; } = 5_000;

    /// <summary>An amount above this is paid in at least two tranches.</summary>
    public decimal TranchesAbove { get; set; } = 6_000;

    public TimeSpan DecisionDeadline { get; set; } = TimeSpan.FromHours(72);

    public TimeSpan CriticalDecisionDeadline { get; set; } = TimeSpan.FromHours(24);

    public TimeSpan ReportDueAfter { get; set; } = TimeSpan.FromDays(90);

    public TimeSpan OverdueCheckInterval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Events to append to a grant's stream and, when money moves, to its fund's stream; or the problem that refuses the command.</summary>
public sealed record GrantChange(IReadOnlyList<object> GrantEvents, IReadOnlyList<object> FundEvents, ProblemHttpResult? Problem = null)
{
    public static implicit operator GrantChange(ProblemHttpResult problem) => new([], [], problem);

    public static GrantChange Of(object grantEvent, object? fundEvent = null) => new([grantEvent], fundEvent is null ? [] : [fundEvent]);
}

/// <summary>
/// What the emergency-assistance rules decide. No I/O: every rule is unit-testable. Free text arrives
/// sealed with the case's key (or, where a rule checks it first, with the function that seals it).
/// </summary>
public sealed class GrantRules(IOptions<AssistanceOptions> options)
{
    public AssistanceOptions Options { get; } = options.Value;

    public static ProblemHttpResult Refused(string field, string message, string title) =>
        Problems.Unprocessable(new Dictionary<string, string[]> { [field] = [message] }, title);

    public GrantChange Request(CaseRecord @case, Fund? fund, Guid fundId, decimal amount, string currency, GrantCategory category, SealedData purpose, int peopleCovered, string by, DateTimeOffset now)
    {
        const string title = "The grant cannot be requested.";
        if (@case.Closed)
        {
            return Problems.Conflict("The case is closed; re-open it before requesting a grant.");
        }

        if (fund is null)
        {
            return Refused("fundId", "No fund has this id.", title);
        }

        if (currency != fund.Currency)
        {
            return Refused("currency", $"The fund is in {fund.Currency}; request the amount in {fund.Currency}.", title);
        }

        if (amount <= 0 || amount > Options.GrantCap)
        {
            return Refused("amount", $"A grant is more than 0 and at most {Options.GrantCap:N0} {fund.Currency}.", title);
        }

        if (Money.HasMoreThanCents(amount))
        {
            return Refused("amount", "Amounts are in whole cents.", title);
        }

        var due = now + (@case.Risk == RiskLevel.Critical ? Options.CriticalDecisionDeadline : Options.DecisionDeadline);
        return GrantChange.Of(new GrantRequested(
            Guid.CreateVersion7(), @case.Id, @case.Reference, @case.Country, @case.ThreatTypes, @case.Risk, fund.Id, fund.Currency,
            amount, category, purpose, peopleCovered, by, now, due));
    }

    /// <summary>
    /// A funder's approval, for the requested amount or less. The grant is approved for the lowest
    /// amount approved once it has enough approvals (two different funders above the threshold);
    /// that approval reserves the money and is refused if the fund does not have it available.
    /// </summary>
    public GrantChange Approve(Grant grant, Fund fund, string funder, decimal? amount, DateTimeOffset now)
    {
        const string title = "The grant cannot be approved.";
        if (Undecidable(grant, funder) is { } problem)
        {
            return problem;
        }

        if (grant.Approvals.Any(a => a.Funder == funder))
        {
            return Problems.Conflict("You have already approved this grant; a second approval must come from another funder.");
        }

        var approved = amount ?? grant.RequestedAmount;
        if (approved <= 0 || approved > grant.RequestedAmount)
        {
            return Refused("amount", $"More than 0 and at most the {grant.RequestedAmount:N2} {grant.Currency} requested.", title);
        }

        if (Money.HasMoreThanCents(approved))
        {
            return Refused("amount", "Amounts are in whole cents.", title);
        }

        var final = grant.Approvals.Select(a => a.Amount).Append(approved).Min();
        var approvalsNeeded = final > Options.TwoApprovalsAbove ? 2 : 1;
        if (grant.Approvals.Count + 1 < approvalsNeeded)
        {
            return GrantChange.Of(new ApprovalGiven(grant.Id, funder, approved, now));
        }

        if (fund.Available < final)
        {
            return Refused("amount", $"The fund has {fund.Available:N2} {fund.Currency} available; approve less or top the fund up.", title);
        }

        var approvers = grant.Approvals.Select(a => a.Funder).Append(funder).ToArray();
        return GrantChange.Of(new GrantApproved(grant.Id, funder, approved, final, approvers, now), new FundsReserved(fund.Id, grant.Id, final, now));
    }

    /// <summary>A funder's refusal, with a reason (sealed by <paramref name="seal"/> once it is known to be there).</summary>
    public GrantChange Reject(Grant grant, string funder, string? reason, Func<string, SealedData> seal, DateTimeOffset now)
    {
        if (Undecidable(grant, funder) is { } problem)
        {
            return problem;
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return Refused("reason", "A rejection needs a reason; the officer and the auditors read it.", "The grant cannot be rejected.");
        }

        return GrantChange.Of(new GrantRejected(grant.Id, funder, seal(reason.Trim()), now));
    }

    /// <summary>A tranche: at most what is still reserved; above the tranche threshold never the whole grant at once.</summary>
    public GrantChange Disburse(Grant grant, decimal amount, string by, DateTimeOffset now)
    {
        const string title = "The tranche cannot be paid.";
        if (grant.Status is not (GrantStatus.Approved or GrantStatus.PartlyDisbursed))
        {
            return Problems.Conflict($"The grant is {Describe(grant.Status)}; only an approved grant is paid.");
        }

        var remaining = grant.StillReserved;
        if (amount <= 0 || amount > remaining || Money.HasMoreThanCents(amount))
        {
            return Refused("amount", $"At most the {remaining:N2} {grant.Currency} still to pay, in whole cents.", title);
        }

        if (grant.Tranches.Count == 0 && grant.ApprovedAmount > Options.TranchesAbove && amount == remaining)
        {
            return Refused("amount", $"Grants above {Options.TranchesAbove:N0} {grant.Currency} are paid in at least two tranches.", title);
        }

        var complete = amount == remaining;
        return GrantChange.Of(
            new TrancheDisbursed(grant.Id, grant.Tranches.Count + 1, amount, by, now, complete ? now + Options.ReportDueAfter : null),
            new ReservedFundsPaid(grant.FundId, grant.Id, amount, now));
    }

    public GrantChange SubmitReport(Grant grant, decimal spent, SealedData summary, string by, DateTimeOffset now)
    {
        if (grant.Status != GrantStatus.Disbursed)
        {
            return Problems.Conflict($"The grant is {Describe(grant.Status)}; the report is due once it is fully paid.");
        }

        if (spent < 0 || spent > grant.Disbursed)
        {
            return Refused("spent", $"At most the {grant.Disbursed:N2} {grant.Currency} paid.", "The report cannot be submitted.");
        }

        return GrantChange.Of(new ReportSubmitted(grant.Id, spent, summary, by, now));
    }

    /// <summary>Withdrawal before any payment; a reservation goes back to the fund.</summary>
    public GrantChange Withdraw(Grant grant, SealedData reason, string by, DateTimeOffset now)
    {
        if (grant.Status is not (GrantStatus.Pending or GrantStatus.Approved))
        {
            return Problems.Conflict($"The grant is {Describe(grant.Status)}; only a pending or approved, unpaid grant can be withdrawn.");
        }

        var released = grant.StillReserved;
        return GrantChange.Of(
            new GrantWithdrawn(grant.Id, by, reason, released, now),
            released > 0 ? new ReservationReleased(grant.FundId, grant.Id, released, now) : null);
    }

    public static bool IsDecisionOverdue(Grant grant, DateTimeOffset now) =>
        grant.Status == GrantStatus.Pending && grant.DecisionDueAt <= now && !grant.DecisionOverdueFlagged;

    public static bool IsReportOverdue(Grant grant, DateTimeOffset now) =>
        grant.Status == GrantStatus.Disbursed && grant.ReportDueAt <= now && !grant.ReportOverdueFlagged;

    private static ProblemHttpResult? Undecidable(Grant grant, string funder)
    {
        if (grant.RequestedBy == funder)
        {
            return Problems.Forbidden("Nobody decides on a grant they requested.");
        }

        return grant.Status == GrantStatus.Pending ? null : Problems.Conflict($"The grant is already {Describe(grant.Status)}.");
    }

    private static string Describe(GrantStatus status) => status switch
    {
        GrantStatus.PartlyDisbursed => "partly paid",
        GrantStatus.Disbursed => "fully paid",
        _ => status.ToString().ToLowerInvariant(),
    };
}
