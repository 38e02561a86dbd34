using System.ComponentModel.DataAnnotations;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.Intake.PersonalData;
using Protection.EventSourcing.PersonalData;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Http;
using Protection.EventSourcing.EventStore;

namespace Protection.Intake.Cases.Opening;

public sealed record OpenCaseRequest
{
    [Required]
    public DefenderInput? Defender { get; init; }

    [Required]
    public ConsentInput? Consent { get; init; }

    [Required]
    [MinLength(1, ErrorMessage = "Report at least one threat.")]
    [MaxLength(50)]
    public List<ThreatInput>? Threats { get; init; }
}

public sealed record DefenderInput
{
    [Required]
    [StringLength(200, MinimumLength = 1)]
    public string? FullName { get; init; }

    [StringLength(200)]
    public string? PreferredName { get; init; }

    [StringLength(200)]
    public string? Organisation { get; init; }

    public ContactInput? Contacts { get; init; }

    [Required]
    public LocationInput? Location { get; init; }

    [MaxLength(30)]
    public List<FamilyMemberInput>? FamilyMembers { get; init; }
}

public sealed record ContactInput
{
    [Phone]
    [StringLength(40)]
    public string? Phone { get; init; }

    [EmailAddress]
    [StringLength(254)]
    public string? Email { get; init; }

    /// <summary>A Signal, Wire or similar handle.</summary>
    [StringLength(200)]
    public string? SecureMessenger { get; init; }
}

public sealed record LocationInput
{
    [Required]
    [RegularExpression("^[A-Z]{2}$", ErrorMessage = "Use the ISO 3166-1 alpha-2 country code, e.g. CO.")]
    public string? Country { get; init; }

    /// <summary>Province, department or district, as the defender names it. Sealed with the case key.</summary>
    [StringLength(120)]
    public string? Region { get; init; }

    /// <summary>Address or coordinates. Sealed with the case key.</summary>
    [StringLength(500)]
    public string? ExactLocation { get; init; }
}

public sealed record FamilyMemberInput
{
    [Required]
    [StringLength(200, MinimumLength = 1)]
    public string? Name { get; init; }

    [Required]
    [StringLength(60, MinimumLength = 1)]
    public string? Relationship { get; init; }
}

public sealed record ConsentInput
{
    /// <summary>The defender agreed that this data is recorded. A case cannot be opened without it.</summary>
    [Required]
    public bool? DataProcessing { get; init; }

    [Required]
    public bool? ShareWithFunders { get; init; }

    [Required]
    public bool? ShareWithRelocationHost { get; init; }
}

public sealed record CaseOpenedResponse(Guid Id, string Reference, CaseStage Stage, DateTimeOffset OpenedAt);

public static class OpenCase
{
    /// <summary>Rules beyond the shape of the request. Empty when the case may be opened.</summary>
    public static Dictionary<string, string[]> Check(OpenCaseRequest request, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Consent!.DataProcessing != true)
        {
            errors["consent.dataProcessing"] =
                ["A case can only be opened with the defender's consent to record their data."];
        }

        for (var i = 0; i < request.Threats!.Count; i++)
        {
            ThreatRules.Check(request.Threats[i], $"threats[{i}]", now, errors);
        }

        return errors;
    }

    /// <summary>
    /// <c>POST /api/cases</c>: opens a case and queues <c>CaseOpened</c> for publishing in the same
    /// transaction, with its (still empty) <see cref="CaseProgress"/>.
    /// </summary>
    public static async Task<Results<Created<CaseOpenedResponse>, ForbiddenProblem, UnprocessableProblem>> Handle(
        OpenCaseRequest request,
        HttpContext http,
        IDocumentSession session,
        PersonalDataVault vault,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (http.User.OrganisationId() is not { Length: > 0 } organisation)
        {
            return ForbiddenProblem.Because("Your account belongs to no organisation; a case belongs to its opener's.");
        }

        var now = clock.GetUtcNow();
        var errors = Check(request, now);
        if (errors.Count > 0)
        {
            return UnprocessableProblem.For(errors, "The case cannot be opened.");
        }

        var caseId = Guid.CreateVersion7();
        await session.BeginTransactionAsync(cancellationToken); // the reference's number and the case: one transaction
        var number = await session.AdvancedSql.QueryAsync<long>(
            $"select nextval('{session.DocumentStore.Options.DatabaseSchemaName}.{CaseReference.SequenceName}')",
            cancellationToken);
        var reference = CaseReference.Format(now.Year, number[0]);

        var (dataKey, storedKey) = vault.NewCaseKey(caseId, now);
        var defender = request.Defender!;
        var familyMembers = (defender.FamilyMembers ?? [])
            .Select(f => new FamilyMember(f.Name!, f.Relationship!))
            .ToArray();
        var sealedDefender = vault.Seal(dataKey, caseId, new DefenderDetails(
            defender.FullName!,
            defender.PreferredName,
            defender.Organisation,
            new ContactDetails(defender.Contacts?.Phone, defender.Contacts?.Email, defender.Contacts?.SecureMessenger),
            defender.Location!.ExactLocation,
            familyMembers,
            defender.Location.Region));

        var consent = new Consent(
            true, request.Consent!.ShareWithFunders!.Value, request.Consent.ShareWithRelocationHost!.Value);
        var opened = new CaseFileOpened(
            caseId,
            reference,
            sealedDefender,
            defender.Location.Country!,
            PeopleAtRisk: 1 + familyMembers.Length,
            consent,
            request.Threats!.Select(t => Record(vault, dataKey, caseId, t)).ToArray(),
            http.User.UserId(),
            now,
            organisation);

        session.Store(storedKey);
        session.Insert(CaseProgress.Of(caseId));
        StreamChanges.Start(session, caseId, opened, [], now);
        await session.SaveChangesAsync(cancellationToken);

        http.Response.Headers.ETag = $"\"1\"";
        return TypedResults.Created(
            $"/api/cases/{caseId}", new CaseOpenedResponse(caseId, reference, CaseStage.Intake, now));
    }

    internal static RecordedThreat Record(
        PersonalDataVault vault, byte[] dataKey, Guid caseId, ThreatInput threat) => new(
        Guid.CreateVersion7(),
        threat.Type!.Value,
        threat.Perpetrator!.Value,
        threat.OccurredOn!.Value,
        threat.Country!,
        vault.Seal(dataKey, caseId, new ThreatDetails(threat.Description!, threat.ExactLocation, threat.Region)));
}
