using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Protection.Contracts;
using Protection.Contracts.Cases;
using Protection.Relocations.Cases;
using Protection.Relocations.Relocations;
using Protection.Relocations.Relocations.Planning;
using Protection.Relocations.Relocations.Reading;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Decisions;
using Protection.EventSourcing.Cases;
using Protection.EventSourcing.EventStore;
using Protection.EventSourcing.PersonalData;
using CheckInStatus = Protection.Contracts.Relocation.CheckInStatus;
using RelocationKind = Protection.Contracts.Relocation.RelocationKind;
using RelocationReason = Protection.Contracts.Relocation.RelocationReason;

namespace Protection.UnitTests.Relocation;

// The folder's namespace would hide the aggregate of the same name.
using Relocation = Protection.Relocations.Relocations.Relocation;

/// <summary>
/// Who reads how much of a relocation, by organisation: the owner's caseworkers everything (and act), partners
/// read only (sealed details withheld unless their referral gave personal data), the hosting organisation in full
/// with the defender's consent and only dates and check-ins without it, everyone else nothing (404).
/// </summary>
public sealed class RelocationViewRules
{
    private const string A = "org-a";
    private const string B = "org-b";
    private const string Host = "org-host";
    private const string Officer = "olivia";

    // Sealed texts unique enough to be searched for in the JSON a reader gets.
    private const string City = "Nairobi";
    private const string HostName = "Casa Refugio Amina";
    private const string SecurityPlan = "Night bus with Amina's cousin; new SIM on arrival.";
    private const string Note = "Amina is staying at the blue house by the market.";

    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private static readonly RelocationOptions Rules = new();
    private static readonly JsonSerializerOptions Api = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly PersonalDataVault _vault = new(RandomNumberGenerator.GetBytes(32));
    private readonly Guid _caseId = Guid.CreateVersion7();

    private static ClaimsPrincipal User(string id, string role, string organisation) =>
        new(new ClaimsIdentity(
            [
                new Claim(AuthenticationSetup.UserIdClaim, id),
                new Claim(AuthenticationSetup.RoleClaim, role),
                new Claim(AuthenticationSetup.OrganisationClaim, organisation),
                new Claim(OrganisationRule.AuditsClaim, organisation),
            ],
            "test",
            AuthenticationSetup.UserIdClaim,
            AuthenticationSetup.RoleClaim));

    private CaseRecord Case(bool shareWithHost = true, params CasePartner[] partners) => new()
    {
        Id = _caseId,
        Reference = "PC-2026-000001",
        Country = "CO",
        OpenedBy = Officer,
        Organisation = A,
        Partners = [.. partners],
        Consent = new ConsentScopes(true, shareWithHost),
        HoldersVersion = 1,
        ConsentVersion = 1,
    };

    private CaseSeal Seal() => new(_vault, _caseId, _vault.NewCaseKey(_caseId, Now).DataKey);

    /// <summary>
    /// An international relocation planned with <paramref name="host"/> hosting, away, one check-in with a note.
    /// </summary>
    private Relocation Hosted(CaseSeal seal, string? host = Host)
    {
        var relocation = new RelocationOpened(
            Guid.CreateVersion7(), _caseId, "PC-2026-000001", "CO", RelocationKind.International,
            RelocationReason.IncreasedRisk, 1, 0, TimeSpan.FromDays(7), false, Officer, Now.AddDays(-20)).Start();
        var plan = new PlanProposal(
            "KE", City, HostName, DateOnly.FromDateTime(Now.AddDays(-10).UtcDateTime), null, SecurityPlan,
            "Humanitarian visa through the embassy.", "Return once the threat has subsided.", host);
        var events = PlanRelocation.Decide(Rules, relocation, plan, seal.Seal, Officer, Now.AddDays(-19)).Value!
            .Cast<IEventOf<Relocation>>()
            .Concat(
            [
                new RelocationFunded(relocation.Id, Guid.CreateVersion7(), Now.AddDays(-15)),
                new RelocationDeparted(relocation.Id, Officer, Now.AddDays(-10), Now.AddDays(-3)),
                new RelocationArrived(relocation.Id, Officer, Now.AddDays(-9)),
                new DefenderCheckedIn(
                    relocation.Id, CheckInStatus.Concern, seal.Seal(Note), Officer, Now.AddDays(-8), Now.AddDays(-1)),
            ]);
        return events.Aggregate(relocation, (state, e) => e.Apply(state));
    }

    private static string Json(object view) => JsonSerializer.Serialize(view, view.GetType(), Api);

    [Fact]
    public void The_owners_caseworker_reads_everything_and_is_offered_the_steps()
    {
        var seal = Seal();
        var relocation = Hosted(seal);
        var reader = User(Officer, Roles.Officer, A);

        var sight = RelocationAccess.Reading(reader, Case(), relocation).Value;

        sight.ShouldBe(RelocationSight.Caseworker);
        var view = RelocationRead.For(relocation, Case(), seal, Rules, Now, sight).ShouldBeOfType<RelocationView>();
        view.Plan!.Destination!.City.ShouldBe(City);
        view.Plan.HostOrganisationId.ShouldBe(Host);
        view.CheckIns.ShouldHaveSingleItem().Note.ShouldBe(Note);
        view.AllowedSteps.ShouldNotBeEmpty();
        RelocationAccess.ToRelocation(reader, Case()).ShouldBeNull();
    }

    [Theory]
    [InlineData(Roles.Officer)]
    [InlineData(Roles.Supervisor)]
    public void Another_organisations_staff_find_nothing_404_on_every_route(string role)
    {
        var reader = User("bob", role, B);
        var relocation = Hosted(Seal());

        RelocationAccess.Reading(reader, Case(), relocation).Refusal!.Kind.ShouldBe(RefusalKind.NotFound);
        RelocationAccess.ReadingCase(reader, Case()).Refusal!.Kind.ShouldBe(RefusalKind.NotFound);
        RelocationAccess.ToRelocation(reader, Case())!.Kind.ShouldBe(RefusalKind.NotFound);
        RelocationAccess.ToCase(reader, Case())!.Kind.ShouldBe(RefusalKind.NotFound);
    }

    [Fact]
    public void Another_officer_of_the_owner_keeps_the_403()
    {
        var reader = User("oscar", Roles.Officer, A);

        RelocationAccess.Reading(reader, Case(), Hosted(Seal())).Refusal!.Kind.ShouldBe(RefusalKind.Forbidden);
        RelocationAccess.ReadingCase(reader, Case()).Refusal!.Kind.ShouldBe(RefusalKind.Forbidden);
        RelocationAccess.ToRelocation(reader, Case())!.Kind.ShouldBe(RefusalKind.Forbidden);
    }

    [Fact]
    public void A_partner_given_personal_data_reads_everything_but_acts_on_nothing()
    {
        var seal = Seal();
        var relocation = Hosted(seal, host: null);
        var @case = Case(partners: new CasePartner(B, SeesPersonalData: true));
        var reader = User("bob", Roles.Officer, B);

        var sight = RelocationAccess.ReadingCase(reader, @case).Value;

        sight.ShouldBe(RelocationSight.ReadOnly);
        RelocationAccess.Reading(reader, @case, relocation).Value.ShouldBe(RelocationSight.ReadOnly);
        var view = RelocationView.Of(relocation, @case, seal, Rules, Now, sight);
        view.Plan!.SecurityPlan.ShouldBe(SecurityPlan);
        view.AllowedSteps.ShouldBeEmpty();
        RelocationAccess.ToRelocation(reader, @case)!.Kind.ShouldBe(RefusalKind.Forbidden);
    }

    [Fact]
    public void A_partner_without_personal_data_reads_the_relocation_with_every_sealed_detail_withheld()
    {
        var seal = Seal();
        var relocation = Hosted(seal);
        var @case = Case(partners: new CasePartner(B, SeesPersonalData: false));
        var reader = User("bob", Roles.Supervisor, B);

        var sight = RelocationAccess.ReadingCase(reader, @case).Value;

        sight.ShouldBe(RelocationSight.Withheld);
        var view = RelocationView.Of(relocation, @case, seal, Rules, Now, sight);
        var json = Json(view);
        foreach (var text in new[] { City, HostName, SecurityPlan, Note, "Humanitarian visa", "threat has subsided" })
        {
            json.ShouldNotContain(text);
        }

        view.Plan!.Destination.ShouldBeNull();
        view.Plan.HostOrganisation.ShouldBe(CaseKeys.Withheld);
        view.CheckIns.ShouldHaveSingleItem().Note.ShouldBe(CaseKeys.Withheld);
        view.State.ShouldBe(relocation.State);
        view.AllowedSteps.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(Roles.Officer)]
    [InlineData(Roles.Supervisor)]
    public void The_host_with_the_defenders_consent_reads_the_relocation_in_full_but_not_the_cases_list(
        string role)
    {
        var seal = Seal();
        var relocation = Hosted(seal);
        var reader = User("hana", role, Host);

        var sight = RelocationAccess.Reading(reader, Case(), relocation).Value;

        sight.ShouldBe(RelocationSight.ReadOnly);
        var view = RelocationRead.For(relocation, Case(), seal, Rules, Now, sight).ShouldBeOfType<RelocationView>();
        view.Plan!.Destination!.City.ShouldBe(City);
        view.AllowedSteps.ShouldBeEmpty();
        RelocationAccess.ReadingCase(reader, Case()).Refusal!.Kind.ShouldBe(RefusalKind.NotFound);
    }

    [Fact]
    public void The_host_never_acts_404_unless_also_the_owners_caseworker()
    {
        RelocationAccess.ToRelocation(User("hana", Roles.Supervisor, Host), Case())!.Kind
            .ShouldBe(RefusalKind.NotFound);

        var relocation = Hosted(Seal(), host: A);
        var caseworker = User(Officer, Roles.Officer, A);
        RelocationAccess.AsHost(caseworker, Case(), relocation).ShouldBe(RelocationSight.ReadOnly);
        RelocationAccess.ToRelocation(caseworker, Case()).ShouldBeNull();
        RelocationAccess.Reading(caseworker, Case(), relocation).Value.ShouldBe(RelocationSight.Caseworker);
    }

    [Fact]
    public void Without_consent_the_host_reads_only_the_dates_and_the_check_in_status()
    {
        var seal = Seal();
        var relocation = Hosted(seal);
        var @case = Case(shareWithHost: false);

        var sight = RelocationAccess.Reading(User("hana", Roles.Officer, Host), @case, relocation).Value;

        sight.ShouldBe(RelocationSight.DatesOnly);
        var view = RelocationRead.For(relocation, @case, seal, Rules, Now, sight)
            .ShouldBeOfType<RelocationDatesView>();
        var json = JsonNode.Parse(Json(view))!.AsObject();
        json.Select(p => p.Key).Order().ShouldBe(
        [
            "arrivedAt", "checkInMissed", "checkInOverdue", "closedAt", "departedAt", "endOn", "endedAt", "id",
            "lastCheckInAt", "nextCheckInDueAt", "startOn", "state",
        ]);
        view.LastCheckInAt.ShouldBe(Now.AddDays(-8));
        view.NextCheckInDueAt.ShouldBe(Now.AddDays(-1));
        view.CheckInOverdue.ShouldBeTrue();
        view.StartOn.ShouldBe(relocation.Plan!.StartOn);
        view.DepartedAt.ShouldBe(Now.AddDays(-10));
        view.State.ShouldBe(relocation.State);
    }

    [Fact]
    public void A_list_of_reads_serializes_each_item_as_itself()
    {
        var seal = Seal();
        var relocation = Hosted(seal);
        RelocationRead[] items =
        [
            RelocationRead.For(relocation, Case(), seal, Rules, Now, RelocationSight.DatesOnly),
            RelocationRead.For(relocation, Case(), seal, Rules, Now, RelocationSight.ReadOnly),
        ];

        var json = JsonNode.Parse(JsonSerializer.Serialize(items, Api))!.AsArray();

        json[0]!.AsObject().ContainsKey("plan").ShouldBeFalse();
        json[0]!.AsObject().ContainsKey("$type").ShouldBeFalse();
        json[1]!["plan"]!["destination"]!["city"]!.GetValue<string>().ShouldBe(City);
    }

    [Fact]
    public void A_withdrawal_newer_than_the_consent_held_reduces_the_hosts_view_and_an_older_message_does_not()
    {
        var relocation = Hosted(Seal());
        var @case = Case();
        var host = User("hana", Roles.Officer, Host);
        var withdrawn = new ConsentChanged(
            _caseId, @case.Reference, new ConsentScopes(true, false), 4, Metadata());

        KnownCaseFacts.Apply(@case, withdrawn);

        RelocationAccess.Reading(host, @case, relocation).Value.ShouldBe(RelocationSight.DatesOnly);
        KnownCaseFacts.Apply(@case, withdrawn with { Consent = new ConsentScopes(true, true), CaseVersion = 3 });
        RelocationAccess.Reading(host, @case, relocation).Value.ShouldBe(RelocationSight.DatesOnly);
    }

    [Fact]
    public void A_transfer_makes_the_new_owners_staff_the_caseworkers_and_the_former_owner_finds_nothing()
    {
        var @case = Case();
        KnownCaseFacts.Apply(@case, new CaseHoldersChanged(_caseId, @case.Reference, B, [], 5, Metadata()));

        RelocationAccess.ToRelocation(User("sam", Roles.Supervisor, B), @case).ShouldBeNull();
        RelocationAccess.ToRelocation(User(Officer, Roles.Officer, A), @case)!.Kind.ShouldBe(RefusalKind.NotFound);
        RelocationAccess.ReadingCase(User("sam", Roles.Supervisor, A), @case).Refusal!.Kind
            .ShouldBe(RefusalKind.NotFound);
    }

    [Fact]
    public void The_plan_names_its_host_organisation_in_clear_and_a_blank_one_is_422()
    {
        var seal = Seal();
        var relocation = Hosted(seal);

        relocation.HostOrganisationId.ShouldBe(Host);
        var planned = new RelocationPlanned(
            relocation.Id, new DateOnly(2026, 12, 1), new DateOnly(2027, 1, 1), seal.Seal("x"), Officer, Now, Host);
        planned.Describe().ShouldContain(Host);

        var blank = new PlanProposal(
            "KE", City, HostName, new DateOnly(2026, 12, 1), null, SecurityPlan, "Visa plan here.",
            "Return strategy here.", "  ");
        var refused = PlanRelocation.Decide(
            Rules,
            relocation with { State = Protection.Contracts.Relocation.RelocationState.Requested },
            blank,
            seal.Seal,
            Officer,
            Now);
        refused.Refusal!.Errors!.Keys.ToArray().ShouldBe(new[] { "hostOrganisationId" });
    }

    /// <summary>
    /// A plan recorded before hosts were named re-serializes exactly as it was stored, so the hash chain over
    /// recorded streams (recomputed from the serialized event) still holds.
    /// </summary>
    [Fact]
    public void A_plan_recorded_without_a_host_serializes_as_it_was_stored()
    {
        var stored = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Converters = { new JsonStringEnumConverter() },
        };
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "relocation-stream-v1.json");
        var recorded = JsonNode.Parse(File.ReadAllText(path))!.AsArray()
            .First(e => e!["type"]!.GetValue<string>() == "relocation_planned")!["data"]!;

        var planned = recorded.Deserialize<RelocationPlanned>(stored)!;

        planned.HostOrganisationId.ShouldBeNull();
        JsonNode.DeepEquals(JsonNode.Parse(JsonSerializer.Serialize(planned, stored)), recorded).ShouldBeTrue();
        JsonSerializer.Serialize(planned with { HostOrganisationId = Host }, stored)
            .ShouldContain($"\"hostOrganisationId\":\"{Host}\"");
    }

    private static EventMetadata Metadata() =>
        new(Guid.CreateVersion7(), Now, "intake", "officer", Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
}
