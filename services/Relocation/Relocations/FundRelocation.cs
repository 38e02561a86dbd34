using Marten;
using Protection.Contracts.Assistance;
using Protection.Relocations.Cases;
using Protection.EventSourcing.Messaging;

namespace Protection.Relocations.Relocations;

/// <summary>
/// An urgent-relocation grant for the case was paid: the relocation in progress records it, and a
/// planned one becomes funded by itself. Paid before any relocation was requested, the money waits
/// on the case record for the next request. Other grant categories are not relocation money.
/// </summary>
public sealed class FundRelocation(IDocumentStore store, TimeProvider clock) : IdempotentConsumer<GrantDisbursed>(store, clock)
{
    protected override async Task Handle(IDocumentSession session, GrantDisbursed message, CancellationToken cancellationToken)
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
            var events = RelocationRules.Fund(stream.Aggregate!, funding);
            if (events.Count > 0)
            {
                RelocationChanges.Append(session, stream, events, now);
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
