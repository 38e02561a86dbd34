namespace Protection.EventSourcing.Messaging;

/// <summary>
/// A message that needs another one, travelling on another queue, to have been applied first: a threat reported on
/// a case triage has not taken in yet, because the case's <c>CaseOpened</c> waits behind others on its own queue.
/// Such a message is retried for minutes, as a database that is away is (see <see cref="MessagingSetup"/>), not
/// moved to the dead letters after the quick retries: that would lose the threat.
/// </summary>
public abstract class ArrivedEarlyException(string message) : Exception(message);
