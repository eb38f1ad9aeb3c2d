using System.Net;
using System.Net.Http.Headers;
using PracticePlatform.Ai.Model;
using PracticePlatform.Testing;

namespace PracticePlatform.Ai.Tests;

/// <summary>Who may read a feedback report: whoever may read its practice session.</summary>
public sealed partial class AiServiceTests
{
    /// <summary>Who calls, relative to the learner whose session the report assesses (the owner).</summary>
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
    public async Task Who_may_read_a_feedback_report(Caller caller, HttpStatusCode expected)
    {
        var sessionId = Guid.CreateVersion7();
        await StoreAsync(Report(sessionId, FeedbackStatus.Completed, globalRating: 4));

        var response = await ClientFor(caller).GetAsync($"{Feedback}/{sessionId}");

        if (expected == HttpStatusCode.OK)
        {
            response.StatusCode.Should().Be(expected, "the body was: {0}", await response.Content.ReadAsStringAsync());
        }
        else
        {
            var problem = await response.ShouldBeProblemAsync(expected);
            if (expected == HttpStatusCode.NotFound)
            {
                problem.GetProperty("detail").GetString().Should().Be(
                    $"There is no feedback for the session '{sessionId}'.", "a report the caller may not read looks missing");
            }
        }
    }

    [Fact]
    public async Task An_anonymous_caller_is_refused_before_the_session_id_is_read()
    {
        var response = await Client.GetAsync($"{Feedback}/not-a-guid");

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("expired", "The access token has expired.")]
    [InlineData("tampered", "The access token is not valid.")]
    [InlineData("unsigned", "The access token is not valid.")]
    [InlineData("signed with an unknown key", "The access token is not valid.")]
    public async Task A_forged_or_expired_token_is_a_401_problem(string forgery, string detail)
    {
        var sessionId = Guid.CreateVersion7();
        await StoreAsync(Report(sessionId, FeedbackStatus.Completed, globalRating: 4));
        var token = Factory.Tokens.Forged(forgery, _learner);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Feedback}/{sessionId}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var response = await Client.SendAsync(request);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        problem.GetProperty("detail").GetString().Should().Be(detail);
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
