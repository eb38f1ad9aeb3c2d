using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticePlatform.Sessions.Infrastructure;
using PracticePlatform.Sessions.Model;
using PracticePlatform.Testing;

namespace PracticePlatform.Sessions.Tests;

/// <summary>Who may start, list, read and end a practice session and read its activity log.</summary>
public sealed partial class SessionsServiceTests
{
    private const string Start = "POST /v1/sessions";
    private const string Read = "GET /v1/sessions/{id}";
    private const string End = "POST /v1/sessions/{id}/end";
    private const string List = "GET /v1/sessions";
    private const string Activity = "GET /v1/sessions/{id}/activity";

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
    [InlineData(Start, Caller.Anonymous, HttpStatusCode.Unauthorized)]
    [InlineData(Start, Caller.Owner, HttpStatusCode.Created)]
    [InlineData(Start, Caller.EducatorOfLearnersCohort, HttpStatusCode.Created)]
    [InlineData(Start, Caller.PlatformAdmin, HttpStatusCode.Created)]
    [InlineData(Read, Caller.Anonymous, HttpStatusCode.Unauthorized)]
    [InlineData(Read, Caller.Owner, HttpStatusCode.OK)]
    [InlineData(Read, Caller.LearnerOfSameInstitution, HttpStatusCode.NotFound)]
    [InlineData(Read, Caller.LearnerOfOtherInstitution, HttpStatusCode.NotFound)]
    [InlineData(Read, Caller.EducatorOfLearnersCohort, HttpStatusCode.OK)]
    [InlineData(Read, Caller.EducatorOfAnotherCohort, HttpStatusCode.NotFound)]
    [InlineData(Read, Caller.EducatorOfOtherInstitution, HttpStatusCode.NotFound)]
    [InlineData(Read, Caller.InstitutionAdminOfSameInstitution, HttpStatusCode.OK)]
    [InlineData(Read, Caller.InstitutionAdminOfOtherInstitution, HttpStatusCode.NotFound)]
    [InlineData(Read, Caller.PlatformAdmin, HttpStatusCode.OK)]
    [InlineData(End, Caller.Anonymous, HttpStatusCode.Unauthorized)]
    [InlineData(End, Caller.Owner, HttpStatusCode.OK)]
    [InlineData(End, Caller.LearnerOfSameInstitution, HttpStatusCode.NotFound)]
    [InlineData(End, Caller.LearnerOfOtherInstitution, HttpStatusCode.NotFound)]
    [InlineData(End, Caller.EducatorOfLearnersCohort, HttpStatusCode.Forbidden)]
    [InlineData(End, Caller.EducatorOfAnotherCohort, HttpStatusCode.NotFound)]
    [InlineData(End, Caller.EducatorOfOtherInstitution, HttpStatusCode.NotFound)]
    [InlineData(End, Caller.InstitutionAdminOfSameInstitution, HttpStatusCode.Forbidden)]
    [InlineData(End, Caller.InstitutionAdminOfOtherInstitution, HttpStatusCode.NotFound)]
    [InlineData(End, Caller.PlatformAdmin, HttpStatusCode.Forbidden)]
    [InlineData(List, Caller.Anonymous, HttpStatusCode.Unauthorized)]
    [InlineData(List, Caller.Owner, HttpStatusCode.OK)]
    [InlineData(List, Caller.LearnerOfSameInstitution, HttpStatusCode.OK)]
    [InlineData(List, Caller.LearnerOfOtherInstitution, HttpStatusCode.OK)]
    [InlineData(List, Caller.EducatorOfLearnersCohort, HttpStatusCode.OK)]
    [InlineData(List, Caller.EducatorOfAnotherCohort, HttpStatusCode.OK)]
    [InlineData(List, Caller.EducatorOfOtherInstitution, HttpStatusCode.OK)]
    [InlineData(List, Caller.InstitutionAdminOfSameInstitution, HttpStatusCode.OK)]
    [InlineData(List, Caller.InstitutionAdminOfOtherInstitution, HttpStatusCode.OK)]
    [InlineData(List, Caller.PlatformAdmin, HttpStatusCode.OK)]
    [InlineData(Activity, Caller.Anonymous, HttpStatusCode.Unauthorized)]
    [InlineData(Activity, Caller.Owner, HttpStatusCode.OK)]
    [InlineData(Activity, Caller.LearnerOfSameInstitution, HttpStatusCode.NotFound)]
    [InlineData(Activity, Caller.LearnerOfOtherInstitution, HttpStatusCode.NotFound)]
    [InlineData(Activity, Caller.EducatorOfLearnersCohort, HttpStatusCode.OK)]
    [InlineData(Activity, Caller.EducatorOfAnotherCohort, HttpStatusCode.NotFound)]
    [InlineData(Activity, Caller.EducatorOfOtherInstitution, HttpStatusCode.NotFound)]
    [InlineData(Activity, Caller.InstitutionAdminOfSameInstitution, HttpStatusCode.OK)]
    [InlineData(Activity, Caller.InstitutionAdminOfOtherInstitution, HttpStatusCode.NotFound)]
    [InlineData(Activity, Caller.PlatformAdmin, HttpStatusCode.OK)]
    public async Task Who_may_start_read_and_end_a_session(string endpoint, Caller caller, HttpStatusCode expected)
    {
        var started = await StartedAsync(_content.Publish(version: 1));
        var client = ClientFor(caller);

        using var response = endpoint switch
        {
            Start => await client.PostAsJsonAsync(Sessions, new { scenarioId = _content.Publish(version: 1), mode = "text" }),
            Read => await client.GetAsync($"{Sessions}/{started.Id}"),
            End => await client.PostAsync($"{Sessions}/{started.Id}/end", null),
            List => await client.GetAsync(Sessions),
            Activity => await client.GetAsync($"{Sessions}/{started.Id}/activity"),
            _ => throw new ArgumentOutOfRangeException(nameof(endpoint), endpoint, "not an endpoint of this matrix"),
        };

        if (expected is HttpStatusCode.OK or HttpStatusCode.Created)
        {
            response.StatusCode.Should().Be(expected, "the body was: {0}", await response.Content.ReadAsStringAsync());
        }
        else
        {
            var problem = await response.ShouldBeProblemAsync(expected);
            if (expected == HttpStatusCode.NotFound)
            {
                problem.GetProperty("detail").GetString().Should().Be(
                    $"No practice session has the id '{started.Id}'.", "a session the caller may not read looks missing");
            }
            else if (expected == HttpStatusCode.Forbidden)
            {
                problem.GetProperty("detail").GetString().Should().Be("Only the learner who started a session can end it.");
            }
        }

        if (endpoint == List && expected == HttpStatusCode.OK)
        {
            // Everyone may list, but only the sessions they may read: the owner's shows up exactly for those who may read it.
            var page = await response.Content.ReadFromJsonAsync<PracticeSessionPage>(Json);
            var readable = caller is Caller.Owner or Caller.EducatorOfLearnersCohort or Caller.InstitutionAdminOfSameInstitution or Caller.PlatformAdmin;
            page!.Items.Select(s => s.Id).Should().Equal(readable ? [started.Id] : Array.Empty<Guid>());
            page.Total.Should().Be(readable ? 1 : 0, "the owner's session is the only one stored");
        }

        if (endpoint == Activity && expected == HttpStatusCode.OK)
        {
            var log = await response.Content.ReadFromJsonAsync<SessionActivityLog>(Json);
            log!.Items.Select(i => i.Kind).Should().Equal(SessionActivityKind.Started);
        }

        if (endpoint == End && expected != HttpStatusCode.OK)
        {
            var stored = await StoredSessionAsync(started.Id);
            stored.Status.Should().Be(SessionStatus.Active, "a refused end changes nothing");
            stored.EndedAt.Should().BeNull();
        }
    }

    [Fact]
    public async Task A_session_started_by_an_educator_belongs_to_them_and_their_institution()
    {
        var educator = TestUser.Educator(_institution);

        var response = await CreateClient(educator).PostAsJsonAsync(Sessions, new { scenarioId = _content.Publish(version: 1), mode = "text" });

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var stored = await StoredSessionAsync(response.Headers.Location!.OriginalString.Split('/')[^1]);
        stored.LearnerId.Should().Be(educator.Id);
        stored.InstitutionId.Should().Be(_institution);
    }

    [Theory]
    [InlineData("expired", "The access token has expired.")]
    [InlineData("tampered", "The access token is not valid.")]
    [InlineData("unsigned", "The access token is not valid.")]
    [InlineData("signed with an unknown key", "The access token is not valid.")]
    public async Task A_forged_or_expired_token_is_a_401_problem(string forgery, string detail)
    {
        var started = await StartedAsync(_content.Publish(version: 1));
        var token = Factory.Tokens.Forged(forgery, _learner);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Sessions}/{started.Id}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var response = await Client.SendAsync(request);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        problem.GetProperty("detail").GetString().Should().Be(detail);
    }

    [Fact]
    public async Task A_token_of_a_login_session_that_users_has_ended_is_refused_at_once()
    {
        var started = await StartedAsync(_content.Publish(version: 1));
        var revoked = Factory.Services.GetRequiredService<PracticePlatform.ServiceDefaults.Authentication.RevokedSessions>();

        await revoked.RevokeAsync([_learner.SessionId], TimeSpan.FromMinutes(1), CancellationToken.None);

        var response = await Learner.GetAsync($"{Sessions}/{started.Id}");
        (await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("detail").GetString()
            .Should().Be("The login session of this access token has ended; log in again.");
        (await CreateClient(TestUser.Learner(_institution)).GetAsync($"{Sessions}/{started.Id}")).StatusCode
            .Should().Be(HttpStatusCode.NotFound, "another login of the same institution is unaffected (and not the owner)");
    }

    private readonly Guid _otherInstitution = Guid.CreateVersion7();

    private HttpClient ClientFor(Caller caller) => caller switch
    {
        Caller.Anonymous => Client,
        Caller.Owner => Learner,
        Caller.LearnerOfSameInstitution => CreateClient(TestUser.Learner(_institution)),
        Caller.LearnerOfOtherInstitution => CreateClient(TestUser.Learner(_otherInstitution)),
        Caller.EducatorOfLearnersCohort => CreateClient(TestUser.Educator(_institution, _cohort)),
        Caller.EducatorOfAnotherCohort => CreateClient(TestUser.Educator(_institution, Guid.CreateVersion7())),
        Caller.EducatorOfOtherInstitution => CreateClient(TestUser.Educator(_otherInstitution)),
        Caller.InstitutionAdminOfSameInstitution => CreateClient(TestUser.InstitutionAdmin(_institution)),
        Caller.InstitutionAdminOfOtherInstitution => CreateClient(TestUser.InstitutionAdmin(_otherInstitution)),
        Caller.PlatformAdmin => CreateClient(TestUser.PlatformAdmin()),
        _ => throw new ArgumentOutOfRangeException(nameof(caller), caller, "not a caller of this matrix"),
    };

    private Task<PracticeSession> StoredSessionAsync(string id) => StoredSessionAsync(Guid.Parse(id));

    private async Task<PracticeSession> StoredSessionAsync(Guid id)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SessionsDbContext>().PracticeSessions.AsNoTracking().SingleAsync(s => s.Id == id);
    }
}
