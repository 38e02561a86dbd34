using Marten;
using Protection.Contracts.Assistance;
using Protection.Contracts.Relocation;
using Protection.Relocations.Cases;
using Protection.ServiceDefaults.EventStore;
using Protection.ServiceDefaults.Messaging;

namespace Protection.Relocations.Relocations.Financing;

/// <summary>
/// An urgent-relocation grant for the case was paid: the relocation in progress records it, and a
/// planned one becomes funded by itself. Paid before any relocation was requested, the money waits
/// on the case record for the next request. Other grant categories are not relocation money.
/// </summary>
/// <remarks>
/// Not on the command path: the change commits with the consumer's "handled" marker, in the session the
/// idempotent consumer gives, and a collision is retried by the broker.
/// </remarks>
public sealed class FundRelocation(IDocumentStore store, TimeProvider clock)
    : IdempotentConsumer<GrantDisbursed>(store, clock)
{
    /// <summary>
    /// Recorded whatever the state (a tranche once); a planned relocation becomes funded. Before the plan,
    /// the money waits for it. A closed relocation takes no more money.
    /// </summary>
    public static IReadOnlyList<object> Decide(Relocation relocation, Funding funding)
    {
        if (relocation.State == RelocationState.Closed
            || relocation.Funding.Any(f => f.GrantId == funding.GrantId && f.Tranche == funding.Tranche))
        {
            return [];
        }

        var events = new List<object>
        {
            new FundingReceived(
                relocation.Id, funding.GrantId, funding.Tranche, funding.Amount, funding.Currency, funding.At),
        };
        if (RelocationStateMachine.Next(relocation.State, RelocationCommand.Fund) is not null)
        {
            events.Add(new RelocationFunded(relocation.Id, funding.GrantId, funding.At));
        }

        return events;
    }

    protected override async Task Handle(
        IDocumentSession session, GrantDisbursed message, CancellationToken cancellationToken)
    {
        if (message.Category != GrantCategory.UrgentRelocation)
        {
            return;
        }

        var now = Clock.GetUtcNow();
        var funding = new Funding(message.GrantId, message.Tranche, message.Amount, message.Currency, now);
        var @case = await session.LoadAsync<CaseRecord>(message.CaseId, cancellationToken)
            ?? new CaseRecord { Id = message.CaseId, Reference = message.CaseReference };
        if (@case.ActiveRelocationId is { } relocationId)
        {
            var stream = await session.Events.FetchForWriting<Relocation>(relocationId, cancellationToken);
            var events = Decide(stream.Aggregate!, funding);
            if (events.Count > 0)
            {
                StreamChanges.Append(session, stream, events, now);
            }

            return;
        }

        if (!@case.UnassignedFunding.Any(f => f.GrantId == funding.GrantId && f.Tranche == funding.Tranche))
        {
            @case.UnassignedFunding.Add(funding);
            session.Store(@case);
        }
    }
}
