using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Protection.Identity.Accounts;
using Protection.Identity.Organisations;
using Protection.ServiceDefaults.Http;

namespace Protection.Identity.Admin;

public sealed record AuditedOrganisationsRequest
{
    /// <summary>Every organisation the audit organisation audits: replaces the set before (empty ends all).</summary>
    [Required]
    [MaxLength(100)]
    public List<Guid>? Organisations { get; init; }
}

/// <summary>
/// <c>PUT /api/admin/organisations/{id}/audited</c>: an administrator names the organisations an audit
/// organisation audits. Its auditors' access tokens carry them (<c>audits</c>) from their next issue, sign-in
/// or refresh; the services let an auditor read the cases those organisations own.
/// </summary>
public static class AuditGrantsApi
{
    private const string Field = "organisations";
    private const string Title = "The audited organisations cannot be set.";

    public static RouteGroupBuilder MapAuditGrants(this RouteGroupBuilder manage)
    {
        manage.MapPut("/organisations/{id:guid}/audited", SetAudited)
            .ProducesProblems(StatusCodes.Status422UnprocessableEntity);
        return manage;
    }

    /// <summary>The organisations each audit organisation audits, by audit organisation.</summary>
    public static async Task<ILookup<Guid, Guid>> GrantsAsync(IdentityDb db, CancellationToken token) =>
        (await db.AuditGrants.ToListAsync(token)).ToLookup(g => g.AuditOrganisationId, g => g.AuditedOrganisationId);

    private static async Task<Results<Ok<OrganisationView>, ProblemHttpResult>> SetAudited(
        Guid id, AuditedOrganisationsRequest request, IdentityDb db, AdminLog log, CancellationToken token)
    {
        if (await db.Organisations.FindAsync([id], token) is not { } organisation)
        {
            return Problems.NotFound("The organisation");
        }

        if (organisation.Kind != OrganisationKind.Audit)
        {
            return Refused("Only an audit organisation is granted organisations to audit.");
        }

        var wanted = request.Organisations!.ToHashSet();
        var kinds = await db.Organisations.Where(o => wanted.Contains(o.Id)).Select(o => o.Kind).ToListAsync(token);
        if (kinds.Count < wanted.Count)
        {
            return Refused("Every organisation listed must exist.");
        }

        if (kinds.Contains(OrganisationKind.Audit))
        {
            return Refused("An audit organisation is not audited, by another or by itself.");
        }

        return await log.RecordAsync(organisation.Id, async () =>
        {
            // The organisation's row locked for the change: two administrators setting it at once take turns.
            await db.Database.ExecuteSqlAsync(
                $"SELECT 1 FROM \"identity\".\"Organisations\" WHERE \"Id\" = {id} FOR UPDATE", token);
            var current = await db.AuditGrants.Where(g => g.AuditOrganisationId == id)
                .Select(g => g.AuditedOrganisationId).ToListAsync(token);
            Results<Ok<OrganisationView>, ProblemHttpResult> result =
                TypedResults.Ok(AdminApi.View(organisation, wanted));
            if (current.ToHashSet().SetEquals(wanted))
            {
                return (result, null); // nothing changes: nothing to record
            }

            var ended = current.Except(wanted).ToList();
            await db.AuditGrants.Where(g => g.AuditOrganisationId == id && ended.Contains(g.AuditedOrganisationId))
                .ExecuteDeleteAsync(token);
            db.AuditGrants.AddRange(wanted.Except(current)
                .Select(audited => new AuditGrant { AuditOrganisationId = id, AuditedOrganisationId = audited }));
            await db.SaveChangesAsync(token);
            return (result, (object?)new AuditedOrganisationsSet(id, [.. wanted.Order()]));
        }, token);
    }

    private static ProblemHttpResult Refused(string why) =>
        Problems.Unprocessable(new Dictionary<string, string[]> { [Field] = [why] }, Title);
}
