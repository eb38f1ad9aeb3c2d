using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using PracticePlatform.Testing;
using PracticePlatform.Users.Infrastructure;
using PracticePlatform.Users.Model;

namespace PracticePlatform.Users.Tests;

/// <summary>Who may do what in the users service, with real tokens from its own login: the DEMO institution's seeded
/// educator and admin, the seeded platform admin, learners of DEMO and of a second institution.</summary>
[Collection(ServersCollection.Name)]
public sealed partial class InstitutionAdminTests(ServersFixture servers) : IAsyncLifetime
{
    private const string Password = "stethoscope-lanyard-42";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
    private readonly UsersFactory _factory = new(servers);
    private readonly Dictionary<string, string?> _tokens = [];
    private HttpClient _client = null!;
    private Guid _demo;
    private Guid _other;
    private string _otherCode = null!;
    private Guid _learnerId;
    private Guid _demoCohort;

    public async Task InitializeAsync()
    {
        _client = _factory.CreateClient();
        _otherCode = $"OTHER-{Random.Shared.Next(100000, 999999)}";
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<UsersDbContext>();
            _demo = (await db.Institutions.SingleAsync(i => i.JoinCode == "DEMO")).Id;
            _demoCohort = (await db.Cohorts.SingleAsync(c => c.JoinCode == UsersDbSeed.DemoCohortJoinCode)).Id;
            var other = new Institution { Name = "Other Nursing College", JoinCode = _otherCode };
            db.Institutions.Add(other);
            await db.SaveChangesAsync();
            _other = other.Id;
        }

        _tokens["anonymous"] = null;
        (_learnerId, _tokens["learner"]) = await NewMemberAsync("DEMO");
        (_, _tokens["other-tenant learner"]) = await NewMemberAsync(_otherCode);
        _tokens["educator"] = await SignInAsync("educator@demo.practiceplatform.test", "bedside-manner-2026");
        _tokens["institution admin"] = await SignInAsync("admin@demo.practiceplatform.test", "ward-round-rota-2026");
        _tokens["platform admin"] = await SignInAsync("platform-admin@practiceplatform.test", "triage-desk-rota-2026");
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    private async Task<(Guid Id, string Token)> NewMemberAsync(string code)
    {
        var email = $"member.{Guid.NewGuid():N}@example.org";
        var registered = await _client.PostAsJsonAsync("/v1/users/register", new { email, password = Password, displayName = "Jo Member", institutionCode = code });
        registered.StatusCode.Should().Be(HttpStatusCode.Created);
        var id = (await registered.Content.ReadFromJsonAsync<RegisteredUser>())!.Id;
        return (id, await SignInAsync(email, Password));
    }

    private async Task<string> SignInAsync(string email, string password)
    {
        var response = await _client.PostAsJsonAsync("/v1/users/login", new { email, password });
        response.StatusCode.Should().Be(HttpStatusCode.OK, email);
        return (await response.Content.ReadFromJsonAsync<TokenResponse>())!.AccessToken;
    }

    private async Task<HttpResponseMessage> SendAsync(string caller, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path.Replace("{demo}", _demo.ToString(), StringComparison.Ordinal)
            .Replace("{other}", _other.ToString(), StringComparison.Ordinal)
            .Replace("{learner}", _learnerId.ToString(), StringComparison.Ordinal)
            .Replace("{demoCohort}", _demoCohort.ToString(), StringComparison.Ordinal));
        if (_tokens[caller] is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await _client.SendAsync(request);
    }

    // The matrix: every users endpoint, every kind of caller, the exact status. Writes use unique names so rows are
    // independent.
    private static readonly string[] EducatorOnly = ["educator"];

    private static readonly string[] Callers = ["anonymous", "learner", "other-tenant learner", "educator", "institution admin", "platform admin"];

    private static readonly (string Method, string Path, int[] Expected)[] Matrix =
    [
        //                                                                   anon learner other educ. admin platform
        ("GET", "/v1/users/institutions/by-code/DEMO",                      [200, 200, 200, 200, 200, 200]),
        ("GET", "/.well-known/jwks.json",                                   [200, 200, 200, 200, 200, 200]),
        ("GET", "/v1/users/me",                                             [401, 200, 200, 200, 200, 200]),
        ("GET", "/v1/users/me/sessions",                                    [401, 200, 200, 200, 200, 200]),
        ("GET", "/v1/users/institutions/{demo}/members",                    [401, 403, 403, 200, 200, 200]),
        ("GET", "/v1/users/institutions/{demo}/cohorts",                    [401, 403, 403, 200, 200, 200]),
        ("GET", "/v1/users/institutions/{demo}/cohorts/{demoCohort}/educators", [401, 403, 403, 200, 200, 200]),
        ("PUT", "/v1/users/institutions/{demo}/cohorts/{demoCohort}/educators/{learner}", [401, 403, 403, 403, 422, 422]),
        ("DELETE", "/v1/users/institutions/{demo}/cohorts/{demoCohort}/educators/{learner}", [401, 403, 403, 403, 204, 204]),
        ("GET", "/v1/users/institutions/{other}/cohorts/{demoCohort}/educators", [401, 403, 403, 404, 404, 404]),
        ("GET", "/v1/users/institutions/{demo}/audit",                      [401, 403, 403, 403, 200, 200]),
        ("POST", "/v1/users/institutions/{demo}/cohorts",                   [401, 403, 403, 403, 201, 201]),
        ("PUT", "/v1/users/institutions/{demo}/members/{learner}/cohort",   [401, 403, 403, 403, 200, 200]),
        ("GET", "/v1/users/institutions/{other}/members",                   [401, 403, 403, 404, 404, 200]),
        ("GET", "/v1/users/institutions/{other}/audit",                     [401, 403, 403, 403, 404, 200]),
        ("GET", "/v1/users/institutions/{demo}/invitations",                [401, 403, 403, 403, 200, 200]),
        ("GET", "/v1/users/institutions/{other}/invitations",               [401, 403, 403, 403, 404, 200]),
        ("GET", "/v1/users/admin/dead-letters",                             [401, 403, 403, 403, 403, 200]),
    ];

    [Fact]
    public async Task Every_endpoint_answers_each_kind_of_caller_with_the_expected_status()
    {
        var mismatches = new List<string>();
        foreach (var (method, path, expected) in Matrix)
        {
            for (var i = 0; i < Callers.Length; i++)
            {
                object? body = method switch
                {
                    "POST" => new { name = $"Cohort {Guid.NewGuid():N}" },
                    "PUT" => new { cohortId = (Guid?)null },
                    _ => null,
                };
                var response = await SendAsync(Callers[i], new HttpMethod(method), path, body);
                if ((int)response.StatusCode != expected[i])
                {
                    mismatches.Add($"{method} {path} as {Callers[i]}: expected {expected[i]}, got {(int)response.StatusCode}");
                }
                else if (expected[i] >= 400)
                {
                    response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json", $"{method} {path} as {Callers[i]}");
                }
            }
        }

        mismatches.Should().BeEmpty();
    }

    [Fact]
    public async Task An_admin_changes_a_learners_roles_which_the_next_token_carries_and_the_change_is_audited_and_published()
    {
        var email = $"promoted.{Guid.NewGuid():N}@example.org";
        var registered = await _client.PostAsJsonAsync("/v1/users/register", new { email, password = Password, displayName = "Pat Promoted", institutionCode = "DEMO" });
        var id = (await registered.Content.ReadFromJsonAsync<RegisteredUser>())!.Id;
        var login = await (await _client.PostAsJsonAsync("/v1/users/login", new { email, password = Password })).Content.ReadFromJsonAsync<TokenResponse>();

        var change = await SendAsync("institution admin", HttpMethod.Put, $"/v1/users/institutions/{{demo}}/members/{id}/roles", new { roles = EducatorOnly });

        change.StatusCode.Should().Be(HttpStatusCode.OK);
        var refreshed = await (await _client.PostAsJsonAsync("/v1/users/refresh", new { refreshToken = login!.RefreshToken })).Content.ReadFromJsonAsync<TokenResponse>();
        Payload(refreshed!.AccessToken).GetProperty("role").EnumerateArray().Select(r => r.GetString()).Should().Equal("educator");
        var audit = await (await SendAsync("institution admin", HttpMethod.Get, "/v1/users/institutions/{demo}/audit?limit=20")).Content.ReadFromJsonAsync<List<AuditEntry>>(Json);
        audit.Should().Contain(a => a.Type == AuditEventTypes.RoleChanged && a.SubjectId == id && a.Detail == "roles learner -> educator");
        await WaitForEventAsync("UserRoleChanged", id);
    }

    [Theory]
    [InlineData("""{"roles":["platform-admin"]}""")]
    [InlineData("""{"roles":[]}""")]
    [InlineData("""{"roles":["learner","learner"]}""")]
    [InlineData("""{"roles":"educator"}""")]
    public async Task Granting_a_role_outside_the_institution_or_a_malformed_list_is_a_400_problem(string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/v1/users/institutions/{_demo}/members/{_learnerId}/roles")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _tokens["institution admin"]);

        var response = await _client.SendAsync(request);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        (await QueryAsync(db => db.Users.SingleAsync(u => u.Id == _learnerId))).Roles.Should().Equal("learner");
    }

    [Fact]
    public async Task An_admin_cannot_remove_their_own_admin_role_or_deactivate_themselves()
    {
        var adminId = await QueryAsync(db => db.Users.Where(u => u.NormalizedEmail == "ADMIN@DEMO.PRACTICEPLATFORM.TEST").Select(u => u.Id).SingleAsync());

        await (await SendAsync("institution admin", HttpMethod.Put, $"/v1/users/institutions/{{demo}}/members/{adminId}/roles", new { roles = EducatorOnly }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await (await SendAsync("institution admin", HttpMethod.Post, $"/v1/users/institutions/{{demo}}/members/{adminId}/deactivate"))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_deactivated_member_can_neither_refresh_nor_log_in_and_the_deactivation_is_published()
    {
        var email = $"leaver.{Guid.NewGuid():N}@example.org";
        var id = (await (await _client.PostAsJsonAsync("/v1/users/register", new { email, password = Password, displayName = "Lee Leaver", institutionCode = "DEMO" }))
            .Content.ReadFromJsonAsync<RegisteredUser>())!.Id;
        var login = await (await _client.PostAsJsonAsync("/v1/users/login", new { email, password = Password })).Content.ReadFromJsonAsync<TokenResponse>();

        (await SendAsync("institution admin", HttpMethod.Post, $"/v1/users/institutions/{{demo}}/members/{id}/deactivate")).StatusCode.Should().Be(HttpStatusCode.OK);

        await (await _client.PostAsJsonAsync("/v1/users/refresh", new { refreshToken = login!.RefreshToken })).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await (await _client.PostAsJsonAsync("/v1/users/login", new { email, password = Password })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await WaitForEventAsync("UserDeactivated", id);
    }

    [Fact]
    public async Task Cohorts_have_unique_names_per_institution_and_members_join_only_their_own_institutions()
    {
        var name = $"Year 3 {Guid.NewGuid():N}";
        var created = await SendAsync("institution admin", HttpMethod.Post, "/v1/users/institutions/{demo}/cohorts", new { name });
        var cohort = (await created.Content.ReadFromJsonAsync<CohortSummary>())!;

        created.StatusCode.Should().Be(HttpStatusCode.Created);
        await (await SendAsync("institution admin", HttpMethod.Post, "/v1/users/institutions/{demo}/cohorts", new { name })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        (await SendAsync("institution admin", HttpMethod.Put, "/v1/users/institutions/{demo}/members/{learner}/cohort", new { cohortId = cohort.Id }))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        var listed = await (await SendAsync("educator", HttpMethod.Get, "/v1/users/institutions/{demo}/cohorts")).Content.ReadFromJsonAsync<List<CohortSummary>>();
        listed.Should().ContainSingle(c => c.Id == cohort.Id).Which.Members.Should().Be(1);
        var foreign = await SendAsync("platform admin", HttpMethod.Post, "/v1/users/institutions/{other}/cohorts", new { name = "Foreign" });
        var foreignCohort = (await foreign.Content.ReadFromJsonAsync<CohortSummary>())!;
        await (await SendAsync("institution admin", HttpMethod.Put, "/v1/users/institutions/{demo}/members/{learner}/cohort", new { cohortId = foreignCohort.Id }))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task A_learner_who_registers_with_a_cohort_code_joins_that_cohort_and_their_token_names_it()
    {
        var code = $"Y3-{Random.Shared.Next(100000, 999999)}";
        var created = await SendAsync("institution admin", HttpMethod.Post, "/v1/users/institutions/{demo}/cohorts", new { name = $"Year 3 {code}", joinCode = code.ToLowerInvariant() });
        var cohort = (await created.Content.ReadFromJsonAsync<CohortSummary>())!;

        created.StatusCode.Should().Be(HttpStatusCode.Created);
        cohort.JoinCode.Should().Be(code, "join codes are kept upper-case");
        var (learnerId, token) = await NewMemberAsync(code.ToLowerInvariant());
        Payload(token).GetProperty("cohort").GetString().Should().Be(cohort.Id.ToString());
        Payload(token).GetProperty("tid").GetString().Should().Be(_demo.ToString());
        var members = await (await SendAsync("educator", HttpMethod.Get, $"/v1/users/institutions/{{demo}}/members?cohortId={cohort.Id}")).Content.ReadFromJsonAsync<MemberPage>(Json);
        members!.Items.Select(m => m.Id).Should().Equal(learnerId);
        Payload(_tokens["learner"]!).TryGetProperty("cohort", out _).Should().BeFalse("the institution code puts a learner in no cohort");

        await (await SendAsync("institution admin", HttpMethod.Post, "/v1/users/institutions/{demo}/cohorts", new { name = $"Clash {code}", joinCode = "DEMO" }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await (await SendAsync("institution admin", HttpMethod.Post, "/v1/users/institutions/{demo}/cohorts", new { name = $"Clash {code}", joinCode = code }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await (await SendAsync("institution admin", HttpMethod.Post, "/v1/users/institutions/{demo}/cohorts", new { name = $"Bad {code}", joinCode = "no spaces!" }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_educator_teaches_the_cohorts_an_admin_assigns_which_their_next_token_carries_and_each_change_is_audited()
    {
        var educatorId = Guid.Parse(Payload(_tokens["educator"]!).GetProperty("sub").GetString()!);
        Payload(_tokens["educator"]!).GetProperty("teaches").EnumerateArray().Select(c => c.GetString())
            .Should().Contain(_demoCohort.ToString(), "the demo educator teaches the demo cohort");
        var cohort = (await (await SendAsync("institution admin", HttpMethod.Post, "/v1/users/institutions/{demo}/cohorts", new { name = $"Year 4 {Guid.NewGuid():N}" }))
            .Content.ReadFromJsonAsync<CohortSummary>())!;
        var path = $"/v1/users/institutions/{{demo}}/cohorts/{cohort.Id}/educators";

        (await SendAsync("institution admin", HttpMethod.Put, $"{path}/{educatorId}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await SendAsync("institution admin", HttpMethod.Put, $"{path}/{educatorId}")).StatusCode.Should().Be(HttpStatusCode.NoContent, "assigning twice is harmless");
        await (await SendAsync("institution admin", HttpMethod.Put, $"{path}/{_learnerId}")).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        await (await SendAsync("institution admin", HttpMethod.Put, $"{path}/{Guid.CreateVersion7()}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);

        var educators = await (await SendAsync("educator", HttpMethod.Get, path)).Content.ReadFromJsonAsync<List<CohortEducatorSummary>>(Json);
        educators!.Select(e => e.UserId).Should().Equal(educatorId);
        var teaches = Payload(await SignInAsync("educator@demo.practiceplatform.test", "bedside-manner-2026")).GetProperty("teaches")
            .EnumerateArray().Select(c => c.GetString()).ToList();
        teaches.Should().Contain([cohort.Id.ToString(), _demoCohort.ToString()]);
        var listed = await (await SendAsync("educator", HttpMethod.Get, "/v1/users/institutions/{demo}/cohorts")).Content.ReadFromJsonAsync<List<CohortSummary>>(Json);
        listed!.Single(c => c.Id == cohort.Id).Educators.Should().Be(1);

        (await SendAsync("institution admin", HttpMethod.Delete, $"{path}/{educatorId}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        Payload(await SignInAsync("educator@demo.practiceplatform.test", "bedside-manner-2026")).GetProperty("teaches")
            .EnumerateArray().Select(c => c.GetString()).Should().NotContain(cohort.Id.ToString());
        var audit = await (await SendAsync("institution admin", HttpMethod.Get, "/v1/users/institutions/{demo}/audit?limit=50")).Content.ReadFromJsonAsync<List<AuditEntry>>(Json);
        audit!.Where(a => a.Detail == $"cohort {cohort.Id}").Select(a => a.Type).Should().Equal(
            AuditEventTypes.CohortEducatorRemoved, AuditEventTypes.CohortEducatorAssigned);
    }

    [Fact]
    public async Task An_educators_feedback_override_reaches_the_institutions_audit_log_once_even_when_redelivered()
    {
        var educatorId = Guid.Parse(Payload(_tokens["educator"]!).GetProperty("sub").GetString()!);
        var overridden = new PracticePlatform.Users.IntegrationEvents.Events.FeedbackItemOverridden(
            Guid.CreateVersion7(), Guid.CreateVersion7(), _learnerId, _demo, "empathy", false, true, 1, "Named his fear at turn 12.", educatorId, DateTimeOffset.UtcNow);
        var bus = _factory.Services.GetRequiredService<PracticePlatform.EventBus.IEventBus>();

        await bus.PublishAsync(overridden);
        await bus.PublishAsync(overridden);

        async Task<List<AuditEntry>> EntriesAsync()
        {
            var audit = await (await SendAsync("institution admin", HttpMethod.Get, "/v1/users/institutions/{demo}/audit?limit=200")).Content.ReadFromJsonAsync<List<AuditEntry>>(Json);
            return audit!.Where(a => a.Type == AuditEventTypes.FeedbackItemOverridden && a.Detail!.Contains(overridden.SessionId.ToString(), StringComparison.Ordinal)).ToList();
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while ((await EntriesAsync()).Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        await Task.Delay(500);
        var entries = await EntriesAsync();
        entries.Should().ContainSingle();
        entries[0].ActorId.Should().Be(educatorId);
        entries[0].SubjectId.Should().Be(_learnerId);
        entries[0].Detail.Should().Be($"session {overridden.SessionId} item empathy: absent -> present (score 1); reason: Named his fear at turn 12.");
    }

    [Fact]
    public async Task An_invited_person_registers_with_the_invitations_role_once_and_only_with_the_invited_address()
    {
        var email = $"invited.{Guid.NewGuid():N}@example.org";
        var invited = await SendAsync("institution admin", HttpMethod.Post, "/v1/users/institutions/{demo}/invitations", new { email, role = "educator" });
        invited.StatusCode.Should().Be(HttpStatusCode.Created);
        var token = await InvitationTokenAsync(email);

        var wrongAddress = await _client.PostAsJsonAsync("/v1/users/register", new { email = "someone.else@example.org", password = Password, displayName = "Eve", invitationToken = token });
        var accepted = await _client.PostAsJsonAsync("/v1/users/register", new { email, password = Password, displayName = "Ivy Invited", invitationToken = token });
        var again = await _client.PostAsJsonAsync("/v1/users/register", new { email = $"x{email}", password = Password, displayName = "Ivy Again", invitationToken = token });

        await wrongAddress.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        accepted.StatusCode.Should().Be(HttpStatusCode.Created);
        await again.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var id = (await accepted.Content.ReadFromJsonAsync<RegisteredUser>())!.Id;
        var user = await QueryAsync(db => db.Users.SingleAsync(u => u.Id == id));
        user.Roles.Should().Equal("educator");
        user.InstitutionId.Should().Be(_demo);
        user.EmailVerifiedAt.Should().NotBeNull();
    }

    [Fact]
    public async Task An_admin_lists_the_invitations_sent_with_their_status_and_never_their_token()
    {
        var pendingEmail = $"listed.{Guid.NewGuid():N}@example.org";
        var acceptedEmail = $"accepted.{Guid.NewGuid():N}@example.org";
        (await SendAsync("institution admin", HttpMethod.Post, "/v1/users/institutions/{demo}/invitations", new { email = acceptedEmail, role = "educator" }))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        var sent = await SendAsync("institution admin", HttpMethod.Post, "/v1/users/institutions/{demo}/invitations", new { email = pendingEmail, role = "learner", cohortId = _demoCohort });
        sent.StatusCode.Should().Be(HttpStatusCode.Created);
        var token = await InvitationTokenAsync(acceptedEmail);
        (await _client.PostAsJsonAsync("/v1/users/register", new { email = acceptedEmail, password = Password, displayName = "Al Accepted", invitationToken = token }))
            .StatusCode.Should().Be(HttpStatusCode.Created);

        var all = await SendAsync("institution admin", HttpMethod.Get, "/v1/users/institutions/{demo}/invitations");
        var pending = await SendAsync("institution admin", HttpMethod.Get, "/v1/users/institutions/{demo}/invitations?status=pending");
        var accepted = await SendAsync("institution admin", HttpMethod.Get, "/v1/users/institutions/{demo}/invitations?status=accepted");
        var unknown = await SendAsync("institution admin", HttpMethod.Get, "/v1/users/institutions/{demo}/invitations?status=lost");

        all.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await all.Content.ReadAsStringAsync();
        body.Should().NotContain(token).And.NotContainAny("token", "Token");
        var listed = JsonSerializer.Deserialize<List<InvitationListItem>>(body, Json)!;
        listed.Select(i => i.CreatedAt).Should().BeInDescendingOrder();
        var mine = listed.Single(i => i.Email == pendingEmail);
        mine.Status.Should().Be("pending");
        mine.Role.Should().Be("learner");
        mine.CohortId.Should().Be(_demoCohort);
        mine.AcceptedAt.Should().BeNull();
        mine.ExpiresAt.Should().BeCloseTo(mine.CreatedAt + TimeSpan.FromDays(7), TimeSpan.FromSeconds(1));
        var used = listed.Single(i => i.Email == acceptedEmail);
        used.Status.Should().Be("accepted");
        used.AcceptedAt.Should().NotBeNull();
        used.InvitedBy.Should().Be(mine.InvitedBy).And.NotBe(Guid.Empty);
        (await pending.Content.ReadFromJsonAsync<List<InvitationListItem>>(Json)).Should().Contain(i => i.Email == pendingEmail)
            .And.OnlyContain(i => i.Status == "pending");
        (await accepted.Content.ReadFromJsonAsync<List<InvitationListItem>>(Json)).Should().Contain(i => i.Email == acceptedEmail)
            .And.OnlyContain(i => i.Status == "accepted");
        await unknown.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_institution_admin_reads_only_their_own_tenants_audit_log()
    {
        var audit = await (await SendAsync("institution admin", HttpMethod.Get, "/v1/users/institutions/{demo}/audit?limit=200")).Content.ReadFromJsonAsync<List<AuditEntry>>(Json);
        var otherTenant = await QueryAsync(db => db.AuditEvents.Where(a => a.InstitutionId == _other).Select(a => a.Id).ToListAsync());

        audit.Should().NotBeEmpty();
        otherTenant.Should().NotBeEmpty("the other tenant's learner registered and logged in");
        var ids = audit!.Select(a => a.Id).ToList();
        ids.Should().NotIntersectWith(otherTenant);
        ids.Should().BeInDescendingOrder();
    }

    private async Task<T> QueryAsync<T>(Func<UsersDbContext, Task<T>> query)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<UsersDbContext>());
    }

    private async Task<string> InvitationTokenAsync(string to)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            foreach (var file in Directory.EnumerateFiles(_factory.MailboxDirectory, "*-invitation-*.eml"))
            {
                using var message = await MimeMessage.LoadAsync(file);
                if (message.To.Mailboxes.Any(m => m.Address == to))
                {
                    return Uri.UnescapeDataString(LinkToken().Match(message.TextBody ?? string.Empty).Groups[1].Value);
                }
            }

            DateTime.UtcNow.Should().BeBefore(deadline, "the invitation e-mail should be written");
            await Task.Delay(100);
        }
    }

    private async Task WaitForEventAsync(string eventType, Guid userId)
    {
        var redis = _factory.Services.GetRequiredService<PracticePlatform.Redis.RedisClient>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!(await redis.StreamRangeAsync($"events:{eventType}")).Any(e => JsonDocument.Parse(e.Fields["payload"]).RootElement.GetProperty("userId").GetGuid() == userId))
        {
            DateTime.UtcNow.Should().BeBefore(deadline, $"{eventType} should be published");
            await Task.Delay(50);
        }
    }

    private static JsonElement Payload(string jwt)
    {
        var segment = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        return JsonDocument.Parse(Convert.FromBase64String(segment.PadRight(segment.Length + ((4 - (segment.Length % 4)) % 4), '='))).RootElement;
    }

    [GeneratedRegex(@"token=([A-Za-z0-9_\-%]+)")]
    private static partial Regex LinkToken();
}
