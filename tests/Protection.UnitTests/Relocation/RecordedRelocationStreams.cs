using System.Reflection;
using System.Reflection.Emit;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using JasperFx.Events;
using Protection.Relocations.Relocations;
using Protection.EventSourcing.EventStore;
using Protection.EventSourcing.PersonalData;
using CheckInStatus = Protection.Contracts.Relocation.CheckInStatus;
using RelocationOutcome = Protection.Contracts.Relocation.RelocationOutcome;
using RelocationState = Protection.Contracts.Relocation.RelocationState;

namespace Protection.UnitTests.Relocation;

// The folder's namespace would hide the aggregate of the same name.
using Relocation = Protection.Relocations.Relocations.Relocation;

/// <summary>
/// Relocation streams as they were recorded, folded by today's code: history must read the same however the
/// transition table is edited later, because the auditor's time travel and every snapshot rebuild fold old streams.
/// The fixtures were written once from the rules of their day (Marten's serializer: camelCase members, enums by
/// name, event types snake_case) and are frozen: never regenerate them, add a new one for a new event version.
/// The ciphertexts are placeholders; folding never opens them.
/// </summary>
public sealed class RecordedRelocationStreams
{
    private const string Officer = "officer-olivia";

    private static readonly Guid GrantId = Guid.Parse("0195a3c0-3333-7000-8000-0000000000bb");

    /// <summary>
    /// Marten's names for the relocation's events (its default: the type name in snake_case; the events renamed
    /// since keep theirs, see <see cref="RelocationEventNames"/>).
    /// </summary>
    private static readonly IReadOnlyDictionary<string, Type> EventTypes = new Dictionary<string, Type>
    {
        ["relocation_requested"] = typeof(RelocationOpened),
        ["relocation_planned"] = typeof(RelocationPlanned),
        ["funding_received"] = typeof(FundingReceived),
        ["relocation_funded"] = typeof(RelocationFunded),
        ["relocation_departed"] = typeof(RelocationDeparted),
        ["relocation_arrived"] = typeof(RelocationArrived),
        ["check_in_recorded"] = typeof(DefenderCheckedIn),
        ["check_in_missed_flagged"] = typeof(CheckInMissedFlagged),
        ["stay_extended"] = typeof(StayProlonged),
        ["stay_ending_flagged"] = typeof(StayEndingFlagged),
        ["defender_returned"] = typeof(DefenderReturned),
        ["defender_resettled"] = typeof(DefenderResettled),
        ["relocation_closed"] = typeof(RelocationConcluded),
    };

    /// <summary>
    /// What Marten's <c>UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase)</c> reads and
    /// writes: camelCase members, enums by their names.
    /// </summary>
    private static readonly JsonSerializerOptions Stored = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private static IReadOnlyList<object> Recorded(string fixture)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", fixture);
        var stream = JsonNode.Parse(File.ReadAllText(path))!.AsArray();
        return stream
            .Select(e => e!["data"].Deserialize(EventTypes[e["type"]!.GetValue<string>()], Stored)!)
            .ToArray();
    }

    /// <summary>What Marten does with the stream: the projection it is registered with, event by event.</summary>
    private static Relocation Fold(IEnumerable<object> events) =>
        events.Aggregate((Relocation?)null, (state, e) => Projection.Evolve(state, Guid.Empty, new Event<object>(e)))!;

    private static readonly SelfApplyingProjection<Relocation> Projection = new();

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) =>
        new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void A_recorded_stream_from_request_to_close_folds_to_what_happened()
    {
        var events = Recorded("relocation-stream-v1.json");
        events.Count.ShouldBe(15);

        var relocation = Fold(events);

        relocation.Id.ShouldBe(Guid.Parse("0195a3c0-2222-7000-8000-0000000000aa"));
        relocation.State.ShouldBe(RelocationState.Closed);
        relocation.Outcome.ShouldBe(RelocationOutcome.Returned);
        relocation.Active.ShouldBeFalse();
        relocation.Away.ShouldBeFalse();
        relocation.People.ShouldBe(3);
        relocation.CheckInEvery.ShouldBe(TimeSpan.FromDays(7));
        relocation.RequestedAt.ShouldBe(Utc(3, 2, 9, 15));
        relocation.Plan!.StartOn.ShouldBe(new DateOnly(2026, 3, 18));
        relocation.Plan.EndOn.ShouldBe(new DateOnly(2026, 8, 31));
        relocation.Plan.Details.ShouldBe(new SealedData("v1.fixture-ciphertext-02"));
        relocation.StayEndsAt.ShouldBe(new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero));
        relocation.FundedBy.ShouldBe(GrantId);
        relocation.Funding.ShouldHaveSingleItem().Amount.ShouldBe(4500m);
        relocation.DepartedAt.ShouldBe(Utc(3, 18, 6));
        relocation.ArrivedAt.ShouldBe(Utc(3, 18, 20));
        relocation.EndedAt.ShouldBe(Utc(8, 30, 12));
        relocation.ClosedAt.ShouldBe(Utc(9, 2, 12));
        relocation.LastChangedAt.ShouldBe(Utc(9, 2, 12));
        relocation.NextCheckInDueAt.ShouldBeNull();
        relocation.MissedCheckInFlaggedFor.ShouldBeNull();
        relocation.StayEndingFlaggedFor.ShouldBe(new DateOnly(2026, 6, 10));
        relocation.CheckIns.Select(c => c.Status)
            .ShouldBe([CheckInStatus.Safe, CheckInStatus.Concern, CheckInStatus.Safe]);
        relocation.Extensions.ShouldHaveSingleItem().ShouldBe(new Extension(
            new DateOnly(2026, 6, 10), new DateOnly(2026, 8, 31), new SealedData("v1.fixture-ciphertext-04"), Officer,
            Utc(5, 29, 1)));
        relocation.Transitions.ShouldBe(
        [
            new Transition(RelocationState.Requested, RelocationState.Requested, "request", Officer, Utc(3, 2, 9, 15)),
            new Transition(RelocationState.Requested, RelocationState.Planned, "plan", Officer, Utc(3, 2, 12, 15)),
            new Transition(RelocationState.Planned, RelocationState.Funded, "fund", "system", Utc(3, 4, 12, 15)),
            new Transition(RelocationState.Funded, RelocationState.Funded, "plan", Officer, Utc(3, 5, 12, 15)),
            new Transition(RelocationState.Funded, RelocationState.InTransit, "depart", Officer, Utc(3, 18, 6)),
            new Transition(RelocationState.InTransit, RelocationState.Arrived, "arrive", Officer, Utc(3, 18, 20)),
            new Transition(RelocationState.Arrived, RelocationState.Returned, "return", Officer, Utc(8, 30, 12)),
            new Transition(RelocationState.Returned, RelocationState.Closed, "close", Officer, Utc(9, 2, 12)),
        ]);
    }

    [Fact]
    public void The_recorded_stream_reads_the_same_at_every_point_of_its_history()
    {
        var events = Recorded("relocation-stream-v1.json");

        var states = Enumerable.Range(1, events.Count).Select(n => Fold(events.Take(n)))
            .Select(r => (r.State, r.Away)).ToArray();

        states.ShouldBe(
        [
            (RelocationState.Requested, false), (RelocationState.Planned, false), (RelocationState.Planned, false),
            (RelocationState.Funded, false), (RelocationState.Funded, false), (RelocationState.InTransit, true),
            (RelocationState.InTransit, true), (RelocationState.Arrived, true), (RelocationState.Arrived, true),
            (RelocationState.Arrived, true), (RelocationState.Arrived, true), (RelocationState.Arrived, true),
            (RelocationState.Arrived, true), (RelocationState.Returned, false), (RelocationState.Closed, false),
        ]);
    }

    [Fact]
    public void A_recorded_stream_funded_before_its_plan_and_cancelled_folds_to_what_happened()
    {
        var relocation = Fold(Recorded("relocation-stream-v1-funded-before-plan.json"));

        relocation.State.ShouldBe(RelocationState.Closed);
        relocation.Outcome.ShouldBe(RelocationOutcome.Cancelled);
        relocation.ClosingReason.ShouldBe(new SealedData("v1.fixture-ciphertext-06"));
        relocation.Plan!.EndOn.ShouldBe(new DateOnly(2026, 7, 10));
        relocation.FundedBy.ShouldBe(GrantId);
        relocation.DepartedAt.ShouldBeNull();
        relocation.Transitions.ShouldBe(
        [
            new Transition(
                RelocationState.Requested, RelocationState.Requested, "request", "officer-omar", Utc(4, 2, 8)),
            new Transition(RelocationState.Requested, RelocationState.Planned, "plan", "officer-omar", Utc(4, 2, 13)),
            new Transition(RelocationState.Planned, RelocationState.Funded, "fund", "system", Utc(4, 2, 13)),
            new Transition(RelocationState.Funded, RelocationState.Closed, "close", "officer-omar", Utc(4, 4, 13)),
        ]);
    }

    /// <summary>
    /// The fold applies what each event says happened and never asks the transition table, so an edit of the
    /// table (which only decides commands) cannot change or break a recorded stream. Checked in the compiled
    /// fold: no instruction of <see cref="Relocation"/> or of an event of its stream (each applies itself;
    /// lambdas and local functions included) refers to <see cref="RelocationStateMachine"/>.
    /// </summary>
    [Fact]
    public void The_fold_never_consults_the_transition_table()
    {
        var folding = typeof(Relocation).Assembly.GetTypes()
            .Where(t => t == typeof(Relocation)
                || t.IsAssignableTo(typeof(IEventOf<Relocation>))
                || t.IsAssignableTo(typeof(IStartOf<Relocation>)))
            .ToArray();
        folding.Length.ShouldBe(EventTypes.Count + 1);
        var fold = folding
            .SelectMany(t => t.GetNestedTypes(BindingFlags.NonPublic | BindingFlags.Public).Prepend(t))
            .SelectMany(t => t.GetMethods(All).Cast<MethodBase>().Concat(t.GetConstructors(All)));

        var consulting = fold
            .Where(m => ReferencedMembers(m).Any(r => r == typeof(RelocationStateMachine)
                || r.DeclaringType == typeof(RelocationStateMachine)))
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}");

        consulting.ShouldBeEmpty();
    }

    private const BindingFlags All =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static
        | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>The fields, methods and types a method's IL refers to (calls, loads, tokens).</summary>
    private static IEnumerable<MemberInfo> ReferencedMembers(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray() ?? [];
        var module = method.Module;
        var typeArguments = method.DeclaringType!.IsGenericType ? method.DeclaringType.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var at = 0; at < il.Length;)
        {
            var value = il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at];
            var code = OpCodesByValue[value];
            at += code.Size;
            switch (code.OperandType)
            {
                case OperandType.InlineMethod or OperandType.InlineField
                    or OperandType.InlineType or OperandType.InlineTok:
                    var member = module.ResolveMember(BitConverter.ToInt32(il, at), typeArguments, methodArguments);
                    if (member is not null)
                    {
                        yield return member;
                    }

                    at += 4;
                    break;
                case OperandType.InlineSwitch:
                    at += 4 + (4 * BitConverter.ToInt32(il, at));
                    break;
                default:
                    at += code.OperandType switch
                    {
                        OperandType.InlineNone => 0,
                        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                        OperandType.InlineVar => 2,
                        OperandType.InlineI8 or OperandType.InlineR => 8,
                        _ => 4,
                    };
                    break;
            }
        }
    }
}
