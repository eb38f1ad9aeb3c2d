using System.Net;
using System.Text.Json;
using FluentAssertions;

namespace PracticePlatform.Testing;

public static class ProblemDetailsAssertions
{
    /// <summary>Asserts an RFC 9457 answer with <paramref name="status"/> and returns its JSON for further checks.</summary>
    public static async Task<JsonElement> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(status, "the body was: {0}", body);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json", "the body was: {0}", body);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        problem.GetProperty("status").GetInt32().Should().Be((int)status);
        problem.GetProperty("title").GetString().Should().NotBeNullOrWhiteSpace();
        problem.TryGetProperty("traceId", out _).Should().BeTrue("every problem carries the trace id to quote");
        return problem;
    }
}
