using Marten;
using Microsoft.Extensions.Logging;
using Protection.Contracts.Cases;
using Protection.EventSourcing.Messaging;

namespace Protection.EventSourcing.PersonalData;

/// <summary>
/// Erasure in a service that seals data of its own: deletes the case's <see cref="CaseKey"/>, so
/// every value sealed with it reads as erased. Deleting a key that is not there changes nothing,
/// and the handled-message marker makes a redelivery a no-op as well.
/// </summary>
public sealed partial class DestroyCaseKey(IDocumentStore store, TimeProvider clock, ILogger<DestroyCaseKey> logger)
    : IdempotentConsumer<CaseErased>(store, clock)
{
    protected override Task Handle(IDocumentSession session, CaseErased message, CancellationToken cancellationToken)
    {
        session.Delete<CaseKey>(message.CaseId);
        Destroyed(logger, message.CaseId);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Destroyed the data key of case {CaseId} (erasure)")]
    private static partial void Destroyed(ILogger logger, Guid caseId);
}
