using Protection.Contracts.Assistance;
using Protection.Contracts.Triage;

namespace Protection.Console.Api;

// A grant and a fund as the EmergencyAssistance API gives them to a funder (GET /api/grants, /api/funds): the case
// by reference, country and risk, never who or where. Statuses are kept as the API's words (camelCase), so a
// status this console does not know yet still shows.

public sealed record GrantApproval(string Funder, decimal Amount, DateTimeOffset At);

public sealed record GrantTranche(int Number, decimal Amount, string By, DateTimeOffset At);

public sealed record GrantRejection(string Funder, string? Reason, DateTimeOffset At);

public sealed record GrantReport(decimal Spent, string? Summary, string By, DateTimeOffset At);

public sealed record FunderGrant(
    Guid Id,
    Guid CaseId,
    string CaseReference,
    string? Country,
    RiskLevel? Risk,
    Guid FundId,
    string Currency,
    decimal RequestedAmount,
    decimal? ApprovedAmount,
    GrantCategory Category,
    string? Purpose,
    int PeopleCovered,
    string Status,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    DateTimeOffset DecisionDueAt,
    bool DecisionOverdue,
    IReadOnlyList<GrantApproval> Approvals,
    int ApprovalsNeeded,
    GrantRejection? Rejection,
    IReadOnlyList<GrantTranche> Tranches,
    decimal Disbursed,
    decimal StillToPay,
    DateTimeOffset? ReportDueAt,
    bool ReportOverdue,
    GrantReport? Report,
    long Version)
{
    public bool IsPending => Status == "pending";

    /// <summary>Approvals still needed before the grant is approved (none once it was decided).</summary>
    public int ApprovalsMissing => IsPending ? Math.Max(0, ApprovalsNeeded - Approvals.Count) : 0;

    public bool CanBePaid => Status is "approved" or "partlyDisbursed" && StillToPay > 0;
}

public sealed record FunderGrantList(IReadOnlyList<FunderGrant> Items, int Page, int PageSize, long Total);

public sealed record FundFigures(
    Guid Id,
    string Name,
    string Currency,
    string? Organisation,
    decimal Balance,
    decimal Reserved,
    decimal Disbursed,
    decimal Available,
    decimal TotalIn,
    long Version);

/// <summary>The inbox's filters, as they stand in the address (and in the API's query).</summary>
public sealed record GrantFilters(string? Status, string? Report)
{
    public static readonly string[] Statuses =
        ["pending", "approved", "partlyDisbursed", "disbursed", "reported", "rejected", "withdrawn"];

    public static readonly string[] Reports = ["due", "overdue"];

    /// <summary>Only values the console knows go on to the API; anything else reads as no filter.</summary>
    public static GrantFilters Of(string? status, string? report) => new(
        Statuses.FirstOrDefault(s => string.Equals(s, status, StringComparison.OrdinalIgnoreCase)),
        Reports.FirstOrDefault(r => string.Equals(r, report, StringComparison.OrdinalIgnoreCase)));

    /// <summary>The filters as a query string: empty, or starting with <paramref name="first"/>.</summary>
    public string Query(int? page = null, char first = '?')
    {
        var parts = new List<string>();
        if (Status is not null)
        {
            parts.Add($"status={Status}");
        }

        if (Report is not null)
        {
            parts.Add($"report={Report}");
        }

        if (page is > 1)
        {
            parts.Add($"page={page}");
        }

        return parts.Count == 0 ? string.Empty : first + string.Join('&', parts);
    }
}

public static class FunderApi
{
    public const int PageSize = 25;

    public static Task<ApiResult<FunderGrantList>> FunderGrantsAsync(
        this ProtectionApi api, GrantFilters filters, int page, int pageSize = PageSize) =>
        api.GetAsync<FunderGrantList>($"api/grants?pageSize={pageSize}&page={page}{filters.Query(first: '&')}");

    public static Task<ApiResult<FunderGrant>> FunderGrantAsync(this ProtectionApi api, Guid id) =>
        api.GetAsync<FunderGrant>($"api/grants/{id}");

    public static Task<ApiResult<List<FundFigures>>> FundsAsync(this ProtectionApi api) =>
        api.GetAsync<List<FundFigures>>("api/funds");

    public static Task<ApiResult<FundFigures>> FundAsync(this ProtectionApi api, Guid id) =>
        api.GetAsync<FundFigures>($"api/funds/{id}");
}
