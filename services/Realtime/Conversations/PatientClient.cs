using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace PracticePlatform.Realtime.Conversations;

/// <summary>One line of ai's streamed reply: "delta" pieces, then "done" with the whole text.</summary>
public sealed record PatientStreamLine(string Type, string Text);

public sealed record PatientHistoryTurn(string Speaker, string Text);

/// <summary>What ai needs to answer as the patient.</summary>
public sealed record PatientReplyCall(Guid SessionId, Guid ScenarioId, int ScenarioVersion, IReadOnlyList<PatientHistoryTurn> History, string Utterance);

/// <summary>Asks ai for the patient's reply, as the learner (their own token), and reads it as it streams in
/// (newline-delimited JSON).</summary>
public sealed class PatientClient(HttpClient http)
{
    public async IAsyncEnumerable<PatientStreamLine> ReplyAsync(
        PatientReplyCall call, AuthenticationHeaderValue? authorization, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/ai/patient/replies", UriKind.Relative))
        {
            Content = JsonContent.Create(call, options: ConversationProtocol.Json),
        };
        request.Headers.Authorization = authorization;
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(body);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var parsed = JsonSerializer.Deserialize<PatientStreamLine>(line, ConversationProtocol.Json)
                ?? throw new JsonException("ai sent an empty line of its reply stream.");
            yield return parsed;
            if (parsed.Type == "done")
            {
                // Read the (empty) rest, so the connection goes back to the pool instead of being closed.
                await reader.ReadToEndAsync(cancellationToken);
                yield break;
            }
        }

        throw new HttpRequestException("ai's reply stream ended before its done line.");
    }
}
