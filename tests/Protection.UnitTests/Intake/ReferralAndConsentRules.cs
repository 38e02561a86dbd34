using Protection.Contracts;
using Protection.Contracts.Cases;
using Protection.EventSourcing.EventStore;
using Protection.EventSourcing.PersonalData;
using Protection.Intake.Cases;
using Protection.Intake.Cases.ChangingConsent;
using Protection.Intake.Cases.Referring;
using Protection.ServiceDefaults.Decisions;
using Case = Protection.Intake.Cases.Case;

namespace Protection.UnitTests.Intake;

/// <summary>The consent in force and the referrals of a case: what each step may do and what it leaves.</summary>
public sealed class ReferralAndConsentRules
{
    private const string A = "org-a";
    private const string B = "org-b";
    private const string C = "org-c";
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly SealedData Sealed = new("sealed");

    private static Case Opened() => new CaseFileOpened(
        Guid.CreateVersion7(), "PC-2026-000001", Sealed, "CO", 1, new Consent(true, true, false), [], "officer-1",
        Now.AddDays(-1), A).Start();

    private static (Case Case, Guid Referral) Referred(Case @case, string to, ReferralKind kind, bool share = false)
    {
        var id = Guid.CreateVersion7();
        var referred = ReferCase.Decide(@case, id, to, kind, share, Sealed, "officer-1", Now);
        referred.IsRefused.ShouldBeFalse(referred.Refusal?.Title);
        return (referred.Value!.Apply(@case), id);
    }

    private static Case SharedWith(Case @case, string to)
    {
        var (referred, id) = Referred(@case, to, ReferralKind.Share);
        return Accepted(referred, id);
    }

    private static Case Accepted(Case @case, Guid referral) =>
        AnswerReferral.Accept(@case, referral, "supervisor-b", Now).Value!.Apply(@case);

    [Fact]
    public void Changing_the_consent_records_both_scopes_and_publishes_them_with_the_case_version()
    {
        var @case = Opened();
        var events = ChangeConsent.Decide(@case, new ConsentScopes(false, true), "officer-1", Now);

        var changed = events.ShouldHaveSingleItem().ShouldBeOfType<DefenderConsentChanged>();
        var after = changed.Apply(@case);
        after.Consent.ShouldBe(new Consent(true, false, true));
        changed.Describe().ShouldContain("funders now no (was yes)");
        changed.Describe().ShouldContain("relocation host now yes (was no)");
        var published = changed.Published(after, 4, Metadata()).ShouldHaveSingleItem().ShouldBeOfType<ConsentChanged>();
        published.Consent.ShouldBe(new ConsentScopes(false, true));
        published.CaseVersion.ShouldBe(4);
        published.CaseReference.ShouldBe(@case.Reference);
    }

    [Fact]
    public void The_consent_in_force_again_changes_nothing() =>
        ChangeConsent.Decide(Opened(), new ConsentScopes(true, false), "officer-1", Now).ShouldBeEmpty();

    public static TheoryData<string, Func<Case, Case>, string> RefusedReferrals => new()
    {
        { "to its own organisation", c => c, A },
        { "to a partner", c => SharedWith(c, B), B },
        { "to one with a pending referral", c => Referred(c, B, ReferralKind.Transfer).Case, B },
        { "after erasure", c => new PersonalDataErased(c.Id, ErasureBasis.DefenderRequest, "admin", Now).Apply(c), C },
    };

    [Theory]
    [MemberData(nameof(RefusedReferrals))]
    public void A_referral_is_refused_naming_the_field(string why, Func<Case, Case> before, string to)
    {
        var @case = before(Opened());
        var refused = ReferCase.Decide(@case, Guid.CreateVersion7(), to, ReferralKind.Share, false, Sealed, "o", Now);

        refused.Refusal.ShouldNotBeNull(why).Kind.ShouldBe(RefusalKind.Invalid);
        refused.Refusal!.Errors!.Keys.ShouldHaveSingleItem().ShouldBe(why == "after erasure" ? "id" : "toOrganisation");
    }

    [Fact]
    public void A_referral_is_pending_with_its_sealed_reason_and_a_line_without_it()
    {
        var (@case, id) = Referred(Opened(), B, ReferralKind.Share, share: true);

        var referral = @case.ReferralOf(id).ShouldNotBeNull();
        referral.Status.ShouldBe(ReferralStatus.Pending);
        referral.Reason.ShouldBe(Sealed);
        (referral.FromOrganisation, referral.ToOrganisation, referral.SharePersonalData).ShouldBe((A, B, true));
        @case.Partners.ShouldBeEmpty();
        new CaseReferred(@case.Id, id, A, B, ReferralKind.Share, true, Sealed, "o", Now).Describe()
            .ShouldNotContain(Sealed.Ciphertext);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_accepted_share_adds_the_partner_with_the_consent_and_publishes_the_holders(bool share)
    {
        var (referred, id) = Referred(Opened(), B, ReferralKind.Share, share);
        var accepted = AnswerReferral.Accept(referred, id, "supervisor-b", Now).Value.ShouldNotBeNull();
        var after = accepted.Apply(referred);

        after.Organisation.ShouldBe(A);
        after.Partners.ShouldBe([new CasePartner(B, share)]);
        after.ReferralOf(id)!.Status.ShouldBe(ReferralStatus.Accepted);
        after.ReferralOf(id)!.DecidedBy.ShouldBe("supervisor-b");
        var holders = accepted.Published(after, 3, Metadata()).ShouldHaveSingleItem()
            .ShouldBeOfType<CaseHoldersChanged>();
        (holders.Owner, holders.CaseVersion).ShouldBe((A, 3L));
        holders.Partners.ShouldBe([new CasePartner(B, share)]);
    }

    [Fact]
    public void An_accepted_transfer_moves_the_ownership_and_the_former_owner_keeps_nothing()
    {
        var (shared, share) = Referred(Opened(), C, ReferralKind.Share);
        shared = Accepted(shared, share);
        var (referred, id) = Referred(shared, B, ReferralKind.Transfer);

        var after = Accepted(referred, id);

        after.Organisation.ShouldBe(B);
        after.Partners.ShouldBe([new CasePartner(C, false)]);
        after.Partners.ShouldNotContain(p => p.Organisation == A);
    }

    [Fact]
    public void A_transfer_accepted_by_a_partner_leaves_it_owner_and_no_longer_partner()
    {
        var (shared, share) = Referred(Opened(), B, ReferralKind.Share);
        shared = Accepted(shared, share);
        var transfer = Guid.CreateVersion7();
        var referred = new CaseReferred(shared.Id, transfer, A, B, ReferralKind.Transfer, false, Sealed, "o", Now)
            .Apply(shared);

        var after = Accepted(referred, transfer);

        after.Organisation.ShouldBe(B);
        after.Partners.ShouldBeEmpty();
    }

    [Fact]
    public void A_declined_referral_keeps_its_sealed_reason_and_the_case_is_held_as_before()
    {
        var (referred, id) = Referred(Opened(), B, ReferralKind.Transfer);
        var reason = new SealedData("why-not");

        var after = AnswerReferral.Decline(referred, id, reason, "supervisor-b", Now).Value!.Apply(referred);

        after.ReferralOf(id)!.Status.ShouldBe(ReferralStatus.Declined);
        after.ReferralOf(id)!.DeclineReason.ShouldBe(reason);
        after.Organisation.ShouldBe(A);
        after.Partners.ShouldBeEmpty();
    }

    public static TheoryData<string, ReferralStatus> Answered => new()
    {
        { "accepted", ReferralStatus.Accepted },
        { "declined", ReferralStatus.Declined },
        { "revoked", ReferralStatus.Revoked },
    };

    [Theory]
    [MemberData(nameof(Answered))]
    public void Only_a_pending_referral_can_be_accepted_or_declined(string why, ReferralStatus status)
    {
        var (referred, id) = Referred(Opened(), B, ReferralKind.Share);
        var answered = referred.WithReferral(id, r => r.Decided(status, "someone", Now));

        AnswerReferral.Accept(answered, id, "s", Now).Refusal!.Kind.ShouldBe(RefusalKind.Conflict, why);
        AnswerReferral.Decline(answered, id, null, "s", Now).Refusal!.Kind.ShouldBe(RefusalKind.Conflict, why);
    }

    [Fact]
    public void An_unknown_referral_is_not_found()
    {
        var @case = Opened();
        AnswerReferral.Accept(@case, Guid.NewGuid(), "s", Now).Refusal!.Kind.ShouldBe(RefusalKind.NotFound);
        AnswerReferral.Decline(@case, Guid.NewGuid(), null, "s", Now).Refusal!.Kind.ShouldBe(RefusalKind.NotFound);
        AnswerReferral.Revoke(@case, Guid.NewGuid(), "o", Now).Refusal!.Kind.ShouldBe(RefusalKind.NotFound);
    }

    [Fact]
    public void Revoking_a_pending_referral_withdraws_it_and_publishes_nothing()
    {
        var (referred, id) = Referred(Opened(), B, ReferralKind.Share);

        var revoked = AnswerReferral.Revoke(referred, id, "officer-1", Now).Value.ShouldNotBeNull();
        var after = revoked.Apply(referred);

        after.ReferralOf(id)!.Status.ShouldBe(ReferralStatus.Revoked);
        revoked.Published(after, 3, Metadata()).ShouldBeEmpty();
        ReferCase.Check(after, B).ShouldBeNull();
    }

    [Fact]
    public void Revoking_an_accepted_share_removes_the_partner_and_publishes_the_holders()
    {
        var (referred, id) = Referred(Opened(), B, ReferralKind.Share, share: true);
        var shared = Accepted(referred, id);

        var revoked = AnswerReferral.Revoke(shared, id, "officer-1", Now).Value.ShouldNotBeNull();
        var after = revoked.Apply(shared);

        after.Partners.ShouldBeEmpty();
        after.ReferralOf(id)!.Status.ShouldBe(ReferralStatus.Revoked);
        revoked.Published(after, 4, Metadata()).ShouldHaveSingleItem().ShouldBeOfType<CaseHoldersChanged>()
            .Partners.ShouldBeEmpty();
    }

    [Fact]
    public void An_accepted_transfer_cannot_be_revoked_nor_a_declined_referral()
    {
        var (transferring, transfer) = Referred(Opened(), B, ReferralKind.Transfer);
        var transferred = Accepted(transferring, transfer);
        AnswerReferral.Revoke(transferred, transfer, "supervisor-b", Now).Refusal!.Kind
            .ShouldBe(RefusalKind.Conflict);

        var (referred, id) = Referred(Opened(), C, ReferralKind.Share);
        var declined = AnswerReferral.Decline(referred, id, null, "s", Now).Value!.Apply(referred);
        AnswerReferral.Revoke(declined, id, "o", Now).Refusal!.Kind.ShouldBe(RefusalKind.Conflict);
    }

    [Fact]
    public void A_referral_made_by_a_former_owner_cannot_be_accepted_after_a_transfer()
    {
        var (referred, toC) = Referred(Opened(), C, ReferralKind.Share);
        var (both, toB) = Referred(referred, B, ReferralKind.Transfer);
        var transferred = Accepted(both, toB);

        AnswerReferral.Accept(transferred, toC, "supervisor-c", Now).Refusal!.Kind.ShouldBe(RefusalKind.Conflict);
    }

    private static EventMetadata Metadata() => new(Guid.CreateVersion7(), Now, "someone", "officer", "c", "d");
}
