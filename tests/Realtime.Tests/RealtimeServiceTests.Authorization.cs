using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using PracticePlatform.Realtime.Model;
using PracticePlatform.Testing;

namespace PracticePlatform.Realtime.Tests;

/// <summary>Who may read a transcript: whoever the sessions service lets read the practice session.</summary>
public sealed partial class RealtimeServiceTests
{
    /// <summary>Who calls, relative to the learner who started the session (the owner).</summary>
    public enum Caller
    {
        Anonymous,
        Owner,
        LearnerOfSameInstitution,
        LearnerOfOtherInstitution,
        EducatorOfLearnersCohort,
        EducatorOfAnotherCohort,
        EducatorOfOtherInstitution,
        InstitutionAdminOfSameInstitution,
        InstitutionAdminOfOtherInstitution,
        PlatformAdmin,
    }

    [Theory]
    [InlineData(Caller.Anonymous, HttpStatusCode.Unauthorized)]
    [InlineData(Caller.Owner, HttpStatusCode.OK)]
    [InlineData(Caller.LearnerOfSameInstitution, HttpStatusCode.NotFound)]
    [InlineData(Caller.LearnerOfOtherInstitution, HttpStatusCode.NotFound)]
    [InlineData(Caller.EducatorOfLearnersCohort, HttpStatusCode.OK)]
    [InlineData(Caller.EducatorOfAnotherCohort, HttpStatusCode.NotFound)]
    [InlineData(Caller.EducatorOfOtherInstitution, HttpStatusCode.NotFound)]
    [InlineData(Caller.InstitutionAdminOfSameInstitution, HttpStatusCode.OK)]
    [InlineData(Caller.InstitutionAdminOfOtherInstitution, HttpStatusCode.NotFound)]
    [InlineData(Caller.PlatformAdmin, HttpStatusCode.OK)]
    public async Task Who_may_read_a_transcript(Caller caller, HttpStatusCode expected)
    {
        var sessionId = NewSession();
        await StoreAsync(Message(sessionId, 1, Speaker.Learner, "Hello, what brings you in today?"));
        var client = ClientFor(caller);

        var response = await client.GetAsync($"/v1/realtime/sessions/{sessionId}/transcript");

        if (expected == HttpStatusCode.OK)
        {
            response.StatusCode.Should().Be(expected, "the body was: {0}", await response.Content.ReadAsStringAsync());
        }
        else
        {
            var problem = await response.ShouldBeProblemAsync(expected);
            problem.GetProperty("detail").GetString().Should().NotContain("Hello");
        }

        if (caller == Caller.Anonymous)
        {
            _sessions.Authorizations.Should().BeEmpty("realtime refuses a caller without a token itself");
        }
        else
        {
            _sessions.Authorizations.Should().Equal([client.DefaultRequestHeaders.Authorization!.ToString()],
                "sessions is asked once, with the caller's own token");
        }
    }

    [Theory]
    [InlineData(StatusCodes.Status401Unauthorized, HttpStatusCode.Unauthorized)]
    [InlineData(StatusCodes.Status403Forbidden, HttpStatusCode.NotFound)]
    [InlineData(StatusCodes.Status404NotFound, HttpStatusCode.NotFound)]
    [InlineData(StatusCodes.Status500InternalServerError, HttpStatusCode.ServiceUnavailable)]
    [InlineData(StatusCodes.Status503ServiceUnavailable, HttpStatusCode.ServiceUnavailable)]
    public async Task What_sessions_answers_decides_what_the_caller_gets(int sessionsAnswers, HttpStatusCode expected)
    {
        var sessionId = NewSession();
        await StoreAsync(Message(sessionId, 1, Speaker.Learner, "Hello"));
        _sessions.FailWith = sessionsAnswers;

        var response = await Learner.GetAsync($"/v1/realtime/sessions/{sessionId}/transcript");

        await response.ShouldBeProblemAsync(expected);
    }

    [Fact]
    public async Task Sessions_being_unreachable_is_a_503_problem()
    {
        var sessionId = NewSession();
        await _sessions.StopAsync();

        var response = await Learner.GetAsync($"/v1/realtime/sessions/{sessionId}/transcript");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
        problem.GetProperty("detail").GetString().Should().StartWith("The sessions service is unavailable");
    }

    [Theory]
    [InlineData("expired", "The access token has expired.")]
    [InlineData("tampered", "The access token is not valid.")]
    [InlineData("unsigned", "The access token is not valid.")]
    [InlineData("signed with an unknown key", "The access token is not valid.")]
    public async Task A_forged_or_expired_token_is_a_401_problem_and_never_reaches_sessions(string forgery, string detail)
    {
        var sessionId = NewSession();
        var token = Factory.Tokens.Forged(forgery, _learner);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/realtime/sessions/{sessionId}/transcript");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var response = await Client.SendAsync(request);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        problem.GetProperty("detail").GetString().Should().Be(detail);
        _sessions.Authorizations.Should().BeEmpty();
    }

    private HttpClient ClientFor(Caller caller)
    {
        var otherInstitution = Guid.CreateVersion7();
        return caller switch
        {
            Caller.Anonymous => Client,
            Caller.Owner => Learner,
            Caller.LearnerOfSameInstitution => CreateClient(TestUser.Learner(_institution)),
            Caller.LearnerOfOtherInstitution => CreateClient(TestUser.Learner(otherInstitution)),
            Caller.EducatorOfLearnersCohort => CreateClient(TestUser.Educator(_institution, _cohort)),
            Caller.EducatorOfAnotherCohort => CreateClient(TestUser.Educator(_institution, Guid.CreateVersion7())),
            Caller.EducatorOfOtherInstitution => CreateClient(TestUser.Educator(otherInstitution)),
            Caller.InstitutionAdminOfSameInstitution => CreateClient(TestUser.InstitutionAdmin(_institution)),
            Caller.InstitutionAdminOfOtherInstitution => CreateClient(TestUser.InstitutionAdmin(otherInstitution)),
            Caller.PlatformAdmin => CreateClient(TestUser.PlatformAdmin()),
            _ => throw new ArgumentOutOfRangeException(nameof(caller), caller, "not a caller of this matrix"),
        };
    }
}
