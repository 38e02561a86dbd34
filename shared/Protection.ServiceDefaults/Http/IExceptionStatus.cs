namespace Protection.ServiceDefaults.Http;

/// <summary>
/// What an exception the hosting defaults do not know means for the client: registered by the part
/// of a process that throws it (the event store: a concurrent write is 409, a lost database or
/// broker 503). Null when it does not know the exception either.
/// </summary>
public interface IExceptionStatus
{
    (int Status, string Title)? Classify(Exception exception);
}
