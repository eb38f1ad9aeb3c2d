using System.Net;
using PracticePlatform.Testing;
using static PracticePlatform.Sessions.Tests.SessionsServiceTests;

namespace PracticePlatform.Sessions.Tests;

/// <summary>Who may read a learner's progress and their cohort's analytics, relative to the learner who has a report
/// (the owner, in the cohort the educators of the matrix teach).</summary>
public sealed partial class LearnerProgressTests
{
    private const string Mine = "GET /v1/sessions/progress/me";
    private const string Learners = "GET /v1/sessions/progress/learners/{learnerId}";
    private const string Cohorts = "GET /v1/sessions/progress/cohorts/{cohortId}";

    [Theory]
    [InlineData(Mine, Caller.Anonymous, HttpStatusCode.Unauthorized)]
    [InlineData(Mine, Caller.Owner, HttpStatusCode.OK)]
    [InlineData(Mine, Caller.LearnerOfSameInstitution, HttpStatusCode.OK)]
    [InlineData(Mine, Caller.LearnerOfOtherInstitution, HttpStatusCode.OK)]
    [InlineData(Mine, Caller.EducatorOfLearnersCohort, HttpStatusCode.OK)]
    [InlineData(Mine, Caller.EducatorOfAnotherCohort, HttpStatusCode.OK)]
    [InlineData(Mine, Caller.EducatorOfOtherInstitution, HttpStatusCode.OK)]
    [InlineData(Mine, Caller.InstitutionAdminOfSameInstitution, HttpStatusCode.OK)]
    [InlineData(Mine, Caller.InstitutionAdminOfOtherInstitution, HttpStatusCode.OK)]
    [InlineData(Mine, Caller.PlatformAdmin, HttpStatusCode.OK)]
    [InlineData(Learners, Caller.Anonymous, HttpStatusCode.Unauthorized)]
    [InlineData(Learners, Caller.Owner, HttpStatusCode.OK)]
    [InlineData(Learners, Caller.LearnerOfSameInstitution, HttpStatusCode.NotFound)]
    [InlineData(Learners, Caller.LearnerOfOtherInstitution, HttpStatusCode.NotFound)]
    [InlineData(Learners, Caller.EducatorOfLearnersCohort, HttpStatusCode.OK)]
    [InlineData(Learners, Caller.EducatorOfAnotherCohort, HttpStatusCode.NotFound)]
    [InlineData(Learners, Caller.EducatorOfOtherInstitution, HttpStatusCode.NotFound)]
    [InlineData(Learners, Caller.InstitutionAdminOfSameInstitution, HttpStatusCode.OK)]
    [InlineData(Learners, Caller.InstitutionAdminOfOtherInstitution, HttpStatusCode.NotFound)]
    [InlineData(Learners, Caller.PlatformAdmin, HttpStatusCode.OK)]
    [InlineData(Cohorts, Caller.Anonymous, HttpStatusCode.Unauthorized)]
    [InlineData(Cohorts, Caller.Owner, HttpStatusCode.Forbidden)]
    [InlineData(Cohorts, Caller.LearnerOfSameInstitution, HttpStatusCode.Forbidden)]
    [InlineData(Cohorts, Caller.LearnerOfOtherInstitution, HttpStatusCode.Forbidden)]
    [InlineData(Cohorts, Caller.EducatorOfLearnersCohort, HttpStatusCode.OK)]
    [InlineData(Cohorts, Caller.EducatorOfAnotherCohort, HttpStatusCode.NotFound)]
    [InlineData(Cohorts, Caller.EducatorOfOtherInstitution, HttpStatusCode.NotFound)]
    [InlineData(Cohorts, Caller.InstitutionAdminOfSameInstitution, HttpStatusCode.OK)]
    [InlineData(Cohorts, Caller.InstitutionAdminOfOtherInstitution, HttpStatusCode.NotFound)]
    [InlineData(Cohorts, Caller.PlatformAdmin, HttpStatusCode.OK)]
    public async Task Who_may_read_progress_and_cohort_analytics(string endpoint, Caller caller, HttpStatusCode expected)
    {
        var owner = TestUser.Learner(_institution, _cohort);
        await DeliverAsync(Report(owner, 1, 4, Essential("greeting", true)));
        var client = ClientFor(caller, owner);

        using var response = endpoint switch
        {
            Mine => await client.GetAsync($"{Progress}/me"),
            Learners => await client.GetAsync($"{Progress}/learners/{owner.Id}"),
            Cohorts => await client.GetAsync($"{Progress}/cohorts/{_cohort}"),
            _ => throw new ArgumentOutOfRangeException(nameof(endpoint), endpoint, "not an endpoint of this matrix"),
        };

        if (expected != HttpStatusCode.OK)
        {
            await response.ShouldBeProblemAsync(expected);
            return;
        }

        response.StatusCode.Should().Be(expected, "the body was: {0}", await response.Content.ReadAsStringAsync());
        if (endpoint == Mine)
        {
            // Everyone has progress of their own; only the owner has a report.
            var mine = await ProgressAsync(client);
            mine.Reports.Should().Be(caller == Caller.Owner ? 1 : 0);
        }
        else if (endpoint == Learners)
        {
            (await ProgressAsync(client, $"/learners/{owner.Id}")).LearnerId.Should().Be(owner.Id);
        }
    }

    private readonly Guid _otherInstitution = Guid.CreateVersion7();

    private HttpClient ClientFor(Caller caller, TestUser owner) => caller switch
    {
        Caller.Anonymous => _host.CreateClient(),
        Caller.Owner => _host.CreateClient(owner),
        Caller.LearnerOfSameInstitution => _host.CreateClient(TestUser.Learner(_institution)),
        Caller.LearnerOfOtherInstitution => _host.CreateClient(TestUser.Learner(_otherInstitution)),
        Caller.EducatorOfLearnersCohort => _host.CreateClient(TestUser.Educator(_institution, _cohort)),
        Caller.EducatorOfAnotherCohort => _host.CreateClient(TestUser.Educator(_institution, Guid.CreateVersion7())),
        Caller.EducatorOfOtherInstitution => _host.CreateClient(TestUser.Educator(_otherInstitution, _cohort)),
        Caller.InstitutionAdminOfSameInstitution => _host.CreateClient(TestUser.InstitutionAdmin(_institution)),
        Caller.InstitutionAdminOfOtherInstitution => _host.CreateClient(TestUser.InstitutionAdmin(_otherInstitution)),
        Caller.PlatformAdmin => _host.CreateClient(TestUser.PlatformAdmin()),
        _ => throw new ArgumentOutOfRangeException(nameof(caller), caller, "not a caller of this matrix"),
    };
}
