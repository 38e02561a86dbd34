using Protection.Contracts.Relocation;
using Protection.ServiceDefaults.Decisions;

namespace Protection.Relocations.Relocations;

/// <summary>
/// What can happen to a relocation. <see cref="Fund"/> is not a command: it comes from a disbursed grant.
/// </summary>
public enum RelocationCommand
{
    Plan,
    Fund,
    Depart,
    Arrive,
    CheckIn,
    Extend,
    Return,
    Resettle,
    Close,
}

/// <summary>
/// The relocation lifecycle as one table: (state, command) → next state. A pair not in the table is
/// refused with 409 and the steps that are allowed. Re-planning keeps the state (amendments before
/// departure); a check-in or an extension keeps the defender where they are.
/// </summary>
public static class RelocationStateMachine
{
    public static readonly IReadOnlyDictionary<(RelocationState From, RelocationCommand Command), RelocationState>
        Transitions = new Dictionary<(RelocationState, RelocationCommand), RelocationState>
        {
            [(RelocationState.Requested, RelocationCommand.Plan)] = RelocationState.Planned,
            [(RelocationState.Requested, RelocationCommand.Close)] = RelocationState.Closed,
            [(RelocationState.Planned, RelocationCommand.Plan)] = RelocationState.Planned,
            [(RelocationState.Planned, RelocationCommand.Fund)] = RelocationState.Funded,
            [(RelocationState.Planned, RelocationCommand.Close)] = RelocationState.Closed,
            [(RelocationState.Funded, RelocationCommand.Plan)] = RelocationState.Funded,
            [(RelocationState.Funded, RelocationCommand.Depart)] = RelocationState.InTransit,
            [(RelocationState.Funded, RelocationCommand.Close)] = RelocationState.Closed,
            [(RelocationState.InTransit, RelocationCommand.Arrive)] = RelocationState.Arrived,
            [(RelocationState.InTransit, RelocationCommand.CheckIn)] = RelocationState.InTransit,
            [(RelocationState.InTransit, RelocationCommand.Return)] = RelocationState.Returned,
            [(RelocationState.Arrived, RelocationCommand.CheckIn)] = RelocationState.Arrived,
            [(RelocationState.Arrived, RelocationCommand.Extend)] = RelocationState.Arrived,
            [(RelocationState.Arrived, RelocationCommand.Return)] = RelocationState.Returned,
            [(RelocationState.Arrived, RelocationCommand.Resettle)] = RelocationState.Resettled,
            [(RelocationState.Returned, RelocationCommand.Close)] = RelocationState.Closed,
            [(RelocationState.Resettled, RelocationCommand.Close)] = RelocationState.Closed,
        };

    public static RelocationState? Next(RelocationState from, RelocationCommand command) =>
        Transitions.TryGetValue((from, command), out var next) ? next : null;

    /// <summary>
    /// The commands a person may give in <paramref name="state"/> (funding is awaited, not commanded).
    /// </summary>
    public static IReadOnlyList<string> AllowedSteps(RelocationState state) => Transitions.Keys
        .Where(k => k.From == state && k.Command != RelocationCommand.Fund)
        .Select(k => Name(k.Command))
        .ToArray();

    /// <summary>
    /// Null when <paramref name="command"/> is allowed in <paramref name="state"/>; otherwise the conflict
    /// that names the allowed steps.
    /// </summary>
    public static Refusal? RefusalOf(RelocationState state, RelocationCommand command)
    {
        if (Next(state, command) is not null)
        {
            return null;
        }

        var allowed = AllowedSteps(state);
        var hint = state switch
        {
            RelocationState.Planned =>
                " The relocation becomes funded when an urgent-relocation grant for the case is disbursed.",
            _ when allowed.Count == 0 => " Nothing more can happen to it.",
            _ => string.Empty,
        };
        var steps = allowed.Count == 0 ? "nothing" : string.Join(", ", allowed);
        return Refusal.Conflict(
            $"A relocation that is {Name(state)} cannot {Name(command)}; allowed now: {steps}.{hint}",
            new Dictionary<string, object?> { ["state"] = Name(state), ["allowed"] = allowed });
    }

    /// <summary>The command as the API names it (its path segment).</summary>
    public static string Name(RelocationCommand command) => command switch
    {
        RelocationCommand.CheckIn => "check-in",
        _ => command.ToString().ToLowerInvariant(),
    };

    public static string Name(RelocationState state) => state switch
    {
        RelocationState.InTransit => "in transit",
        _ => state.ToString().ToLowerInvariant(),
    };
}
