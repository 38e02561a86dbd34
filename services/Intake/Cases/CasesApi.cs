using Protection.Intake.Cases.ChangingConsent;
using Protection.Intake.Cases.Listing;
using Protection.Intake.Cases.Opening;
using Protection.Intake.Cases.Reading;
using Protection.Intake.Cases.Referring;
using Protection.Intake.Cases.ReportingThreats;
using Protection.ServiceDefaults.Audit;
using Protection.EventSourcing.Audit;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Http;

namespace Protection.Intake.Cases;

public static class CasesApi
{
    public static IEndpointRouteBuilder MapCasesApi(this IEndpointRouteBuilder app)
    {
        var cases = app.MapGroup("/api/cases").WithTags("Cases");

        cases.MapPost("/", OpenCase.Handle)
            .WithBodyLimit(BodyLimits.Case)
            .RequireAuthorization(Policies.Officer)
            .WithName("OpenCase")
            .WithSummary("Open a protection case: defender data (sealed), consent and at least one threat.");

        cases.MapGet("/", ListCases.Handle)
            .RequireAuthorization(Policies.Officer)
            .WithName("ListCases")
            .WithSummary("List cases (no personal data), newest first, with filters and paging.");

        cases.MapGet("/by-reference/{reference}", Finding.FindCase.Handle)
            .RequireAuthorization(Policies.CaseFinder)
            .WithName("FindCase")
            .WithSummary(
                "Find a case's id by its reference: staff of an organisation that holds it, auditors of its owner, "
                + "administrators; 404 to anyone else.");

        cases.MapGet("/{id:guid}", GetCaseFile.Handle)
            .RequireAuthorization(Policies.CaseReader)
            .RecordsCaseRead(CaseReads.CaseFile)
            .WithName("GetCaseFile")
            .WithSummary(
                "Read a case file; personal data only for the case's officer and supervisors. Its ETag is the "
                + "version of intake's own record: only intake's decisions move it, not other services' news.");

        cases.MapPost("/{id:guid}/threats", ReportThreat.Handle)
            .WithBodyLimit(BodyLimits.LongText)
            .RequireAuthorization(Policies.Officer)
            .WithName("ReportThreat")
            .WithSummary(
                "Report a new threat on an existing case. Send If-Match with the version you read to avoid "
                + "overwriting a concurrent change.");

        cases.MapPost("/{id:guid}/erasure", Erasing.EraseCase.Handle)
            .WithBodyLimit(BodyLimits.Small)
            .RequireAuthorization(Policies.Admin)
            .WithName("EraseCase")
            .WithSummary(
                "Admin: destroy the case's key (crypto-shredding) in every service. Personal data reads as erased "
                + "everywhere; the history and its hashes stay verifiable.");

        cases.MapGet("/{id:guid}/erasure", Erasing.ErasureSummary.Handle)
            .RequireAuthorization(Policies.Admin)
            .RecordsCaseRead("erasure")
            .WithName("GetErasureSummary")
            .WithSummary(
                "Admin: what erasing the case would destroy, as counts and kinds (threat accounts, referral reasons, "
                + "grants and relocations learned of, services holding keys) and whether it is erased; no content.");

        cases.MapPut("/{id:guid}/consent", ChangeConsent.Handle)
            .WithBodyLimit(BodyLimits.Small)
            .RequireAuthorization(Policies.Officer)
            .WithName("ChangeConsent")
            .WithSummary(
                "The owner's caseworkers record the defender's consent to sharing as it now stands; a change is "
                + "published to every service. Send If-Match with the version you read.");

        cases.MapPost("/{id:guid}/referrals", ReferCase.Handle)
            .WithBodyLimit(BodyLimits.Text)
            .RequireAuthorization(Policies.Officer)
            .WithName("ReferCase")
            .WithSummary(
                "The owner's caseworkers offer the case to another organisation, to share it (read only, personal "
                + "data only with the defender's consent) or to transfer it. The reason is sealed.");

        cases.MapPost("/{id:guid}/referrals/{referralId:guid}/acceptance", AnswerReferral.Acceptance)
            .WithBodyLimit(BodyLimits.Small)
            .RequireAuthorization(Policies.Officer)
            .WithName("AcceptReferral")
            .WithSummary(
                "A supervisor of the receiving organisation accepts a pending referral: a share makes it a partner, "
                + "a transfer its owner.");

        cases.MapPost("/{id:guid}/referrals/{referralId:guid}/decline", AnswerReferral.Declining)
            .WithBodyLimit(BodyLimits.Text)
            .RequireAuthorization(Policies.Officer)
            .WithName("DeclineReferral")
            .WithSummary("A supervisor of the receiving organisation declines a pending referral, with an optional "
                + "sealed reason.");

        cases.MapPost("/{id:guid}/referrals/{referralId:guid}/revocation", AnswerReferral.Revocation)
            .WithBodyLimit(BodyLimits.Small)
            .RequireAuthorization(Policies.Officer)
            .WithName("RevokeReferral")
            .WithSummary(
                "The owner's caseworkers withdraw a pending referral or end an accepted share; an accepted "
                + "transfer cannot be revoked.");

        app.MapGet("/api/referrals", ReferralInbox.Handle)
            .WithTags("Referrals")
            .RequireAuthorization(Policies.Officer)
            .WithName("ListReferrals")
            .WithSummary(
                "The referrals addressed to your organisation in a status (default pending), newest first; no "
                + "personal data, the reason for its supervisors.");

        return app;
    }
}
