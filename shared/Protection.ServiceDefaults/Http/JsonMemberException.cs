using System.Text.Json;

namespace Protection.ServiceDefaults.Http;

/// <summary>
/// Thrown by this API's JSON converters with a message written for the client (it never quotes the
/// value sent): the problem shows it under the member's name, where other reader messages are replaced.
/// </summary>
public sealed class JsonMemberException(string message) : JsonException(message);
