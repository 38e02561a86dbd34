using System.Buffers;
using System.Text.Json;
using Protection.ServiceDefaults.Audit;

namespace Protection.Gateway.Audit;

/// <summary>
/// One service's page of a case's history (<see cref="ServiceHistory"/>), read from its answer as it arrives:
/// <see cref="OpenAsync"/> reads what comes before the entries (the state, the next cursor), then
/// <see cref="NextEntryAsync"/> hands out one entry at a time. Only the bytes not yet read are held, so a page
/// is never buffered whole. Owns the answer it reads and disposes of it.
/// </summary>
public sealed class ServicePageReader : IAsyncDisposable
{
    private const int FirstBufferSize = 16 * 1024;

    private readonly HttpResponseMessage _response;
    private readonly Stream _body;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(FirstBufferSize);
    private int _start;
    private int _end;
    private bool _final;
    private JsonReaderState _state;
    private Phase _phase = Phase.Start;

    private ServicePageReader(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _body = body;
    }

    private enum Phase
    {
        Start,
        Head,
        Entries,
        Done,
    }

    private enum Step
    {
        NeedMore,
        Read,
    }

    /// <summary>The service's part of the case view, on a first page; null otherwise.</summary>
    public JsonElement? State { get; private set; }

    /// <summary>Non-null when the service has entries after this page (read before the entries).</summary>
    public string? Next { get; private set; }

    /// <summary>Takes over <paramref name="response"/> and reads its answer up to the first entry.</summary>
    public static async Task<ServicePageReader> OpenAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var reader = new ServicePageReader(response, await response.Content.ReadAsStreamAsync(ct));
        try
        {
            while (reader._phase is Phase.Start or Phase.Head)
            {
                if (reader.ReadHead() == Step.NeedMore)
                {
                    await reader.FillAsync(ct);
                }
            }

            return reader;
        }
        catch
        {
            await reader.DisposeAsync();
            throw;
        }
    }

    /// <summary>The page's next entry; null after the last one.</summary>
    public async ValueTask<HistoryEntry?> NextEntryAsync(CancellationToken ct)
    {
        while (true)
        {
            switch (_phase)
            {
                case Phase.Done:
                    return null;
                case Phase.Entries:
                    if (ReadEntry(out var entry) == Step.Read)
                    {
                        if (entry is not null)
                        {
                            return entry;
                        }

                        continue;
                    }

                    break;
                default:
                    if (ReadHead() == Step.Read)
                    {
                        continue;
                    }

                    break;
            }

            await FillAsync(ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_buffer.Length == 0)
        {
            return;
        }

        await _body.DisposeAsync();
        _response.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    /// <summary>One step outside the entries: the object's start or end, or one whole property.</summary>
    private Step ReadHead()
    {
        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
        if (!reader.Read())
        {
            return Step.NeedMore;
        }

        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject when _phase == Phase.Start:
                _phase = Phase.Head;
                break;
            case JsonTokenType.EndObject:
                _phase = Phase.Done;
                break;
            case JsonTokenType.PropertyName:
                var name = reader.GetString();
                if (!reader.Read())
                {
                    return Step.NeedMore;
                }

                if (string.Equals(name, "entries", StringComparison.OrdinalIgnoreCase)
                    && reader.TokenType == JsonTokenType.StartArray)
                {
                    _phase = Phase.Entries;
                    break;
                }

                var whole = reader;
                if (!whole.TrySkip())
                {
                    return Step.NeedMore;
                }

                var value = JsonElement.ParseValue(ref reader);
                if (string.Equals(name, "state", StringComparison.OrdinalIgnoreCase))
                {
                    State = value.ValueKind == JsonValueKind.Null ? null : value;
                }
                else if (string.Equals(name, "next", StringComparison.OrdinalIgnoreCase))
                {
                    Next = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
                }

                break;
            default:
                throw new JsonException("Not a service's page of a history.");
        }

        Commit(ref reader);
        return Step.Read;
    }

    /// <summary>One entry, or the end of the entries (<paramref name="entry"/> null).</summary>
    private Step ReadEntry(out HistoryEntry? entry)
    {
        entry = null;
        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
        if (!reader.Read())
        {
            return Step.NeedMore;
        }

        if (reader.TokenType == JsonTokenType.EndArray)
        {
            _phase = Phase.Head;
        }
        else
        {
            var whole = reader;
            if (!whole.TrySkip())
            {
                return Step.NeedMore;
            }

            entry = JsonSerializer.Deserialize<HistoryEntry>(ref reader, AuditWire.Json)
                ?? throw new JsonException("A history entry is null.");
        }

        Commit(ref reader);
        return Step.Read;
    }

    private void Commit(ref Utf8JsonReader reader)
    {
        _start += (int)reader.BytesConsumed;
        _state = reader.CurrentState;
    }

    /// <summary>
    /// Reads more of the answer, keeping the bytes not yet read (in a larger buffer when they fill it).
    /// </summary>
    private async ValueTask FillAsync(CancellationToken ct)
    {
        if (_final)
        {
            throw new JsonException("The service's answer ended in the middle of its page.");
        }

        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        else if (_end == _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            Buffer.BlockCopy(_buffer, 0, larger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        var read = await _body.ReadAsync(_buffer.AsMemory(_end), ct);
        _end += read;
        _final = read == 0;
    }
}
