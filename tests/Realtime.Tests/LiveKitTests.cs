using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using PracticePlatform.Realtime.Infrastructure;
using PracticePlatform.Realtime.LiveKit;
using PracticePlatform.ServiceDefaults.Authentication;
using PracticePlatform.Testing;

namespace PracticePlatform.Realtime.Tests;

/// <summary>What the LiveKit tests share: a key pair, a clock, and signing as LiveKit does.</summary>
internal static class LiveKitTestKit
{
    public const string ApiKey = "APItestkey";

    /// <summary>At least 256 bits, so JsonWebTokenHandler (which refuses shorter HMAC keys) can check tokens with it.</summary>
    public const string ApiSecret = "a-livekit-api-secret-of-more-than-32-bytes";

    public const string Url = "wss://livekit.example.test";

    public static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    public static LiveKitOptions Options(string? secret = ApiSecret) => new()
    {
        Url = Url,
        ApiKey = ApiKey,
        ApiSecret = secret,
    };

    public static SymmetricSecurityKey Key(string secret = ApiSecret) => new(Encoding.UTF8.GetBytes(secret));

    /// <summary>The Authorization header LiveKit sends with <paramref name="body"/>: a JWT signed with the secret whose
    /// sha256 claim is the base64 SHA-256 of the body, valid for five minutes from <paramref name="signedAt"/>. Signed
    /// with JsonWebTokenHandler, independently of the code under test.</summary>
    public static string SignWebhook(
        string body, DateTimeOffset signedAt, string secret = ApiSecret, string issuer = ApiKey, TimeSpan? validFor = null)
    {
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            NotBefore = signedAt.UtcDateTime,
            Expires = signedAt.Add(validFor ?? TimeSpan.FromMinutes(5)).UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                ["sha256"] = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(body))),
            },
            SigningCredentials = new SigningCredentials(Key(secret), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>A webhook body as LiveKit's protobuf JSON writes it: camelCase, and createdAt (an int64) as a string.
    /// </summary>
    public static string Event(
        string @event, string roomName, string roomSid = "RM_room1", string? identity = null, string? participantSid = null,
        string? id = null, DateTimeOffset? createdAt = null)
    {
        var participant = identity is null ? null : new { sid = participantSid ?? "PA_1", identity, name = "Test learner", state = "ACTIVE" };
        return JsonSerializer.Serialize(new
        {
            @event,
            room = new { sid = roomSid, name = roomName, emptyTimeout = 300, creationTime = "1764583200" },
            participant,
            id = id ?? $"EV_{Guid.NewGuid():N}",
            createdAt = (createdAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
    }
}

/// <summary>A clock the test sets.</summary>
internal sealed class SetClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

public sealed class LiveKitTokenTests
{
    private static readonly JsonWebTokenHandler Handler = new();

    private static LiveKitTokenIssuer Issuer(DateTimeOffset? now = null, string secret = LiveKitTestKit.ApiSecret) =>
        new(Options.Create(LiveKitTestKit.Options(secret)), new SetClock(now ?? DateTimeOffset.UtcNow));

    private static TokenValidationParameters Validation(string secret = LiveKitTestKit.ApiSecret) => new()
    {
        IssuerSigningKey = LiveKitTestKit.Key(secret),
        ValidIssuer = LiveKitTestKit.ApiKey,
        ValidateAudience = false,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        RequireExpirationTime = true,
        ClockSkew = TimeSpan.Zero,
    };

    [Fact]
    public async Task A_join_token_is_an_HS256_JWT_signed_with_the_secret_that_names_the_key_the_identity_and_the_room()
    {
        var token = Issuer().Issue("practice-room", "user-1", "Ada Learner", canPublishVideo: false, metadata: """{"a":1}""");

        var result = await Handler.ValidateTokenAsync(token.Token, Validation());

        result.IsValid.Should().BeTrue(result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        jwt.Alg.Should().Be("HS256");
        jwt.Issuer.Should().Be(LiveKitTestKit.ApiKey);
        jwt.Subject.Should().Be("user-1");
        jwt.GetPayloadValue<string>("name").Should().Be("Ada Learner");
        jwt.GetPayloadValue<string>("metadata").Should().Be("""{"a":1}""");
    }

    [Theory]
    [InlineData(false, new[] { "microphone" })]
    [InlineData(true, new[] { "camera", "microphone" })]
    public void The_video_grant_joins_the_one_room_and_publishes_the_microphone_and_for_video_the_camera(
        bool canPublishVideo, string[] sources)
    {
        var token = Issuer().Issue("practice-room", "user-1", "Ada", canPublishVideo);

        var video = JsonDocument.Parse(Base64UrlEncoder.Decode(new JsonWebToken(token.Token).EncodedPayload))
            .RootElement.GetProperty("video");

        video.GetProperty("room").GetString().Should().Be("practice-room");
        video.GetProperty("roomJoin").GetBoolean().Should().BeTrue();
        video.GetProperty("canPublish").GetBoolean().Should().BeTrue();
        video.GetProperty("canSubscribe").GetBoolean().Should().BeTrue();
        video.GetProperty("canPublishData").GetBoolean().Should().BeTrue();
        video.GetProperty("canPublishSources").EnumerateArray().Select(s => s.GetString()).Should().Equal(sources);
        video.TryGetProperty("roomAdmin", out _).Should().BeFalse("a learner gets no admin grant");
        video.TryGetProperty("roomCreate", out _).Should().BeFalse();
    }

    [Fact]
    public void A_token_is_valid_from_now_for_the_configured_lifetime()
    {
        var now = new DateTimeOffset(2026, 12, 1, 10, 0, 0, 400, TimeSpan.Zero);

        var token = Issuer(now).Issue("room", "user-1", "Ada", canPublishVideo: false);

        var jwt = new JsonWebToken(token.Token);
        jwt.GetPayloadValue<long>("nbf").Should().Be(now.ToUnixTimeSeconds());
        jwt.GetPayloadValue<long>("exp").Should().Be(now.AddHours(1).ToUnixTimeSeconds());
        token.ExpiresAt.Should().Be(DateTimeOffset.FromUnixTimeSeconds(now.AddHours(1).ToUnixTimeSeconds()));
    }

    [Fact]
    public async Task A_token_issued_longer_ago_than_its_lifetime_has_expired()
    {
        var token = Issuer(DateTimeOffset.UtcNow.AddHours(-2)).Issue("room", "user-1", "Ada", canPublishVideo: false);

        var result = await Handler.ValidateTokenAsync(token.Token, Validation());

        result.IsValid.Should().BeFalse();
        result.Exception.Should().BeOfType<SecurityTokenExpiredException>();
    }

    [Fact]
    public async Task A_token_does_not_verify_with_another_secret()
    {
        var token = Issuer().Issue("room", "user-1", "Ada", canPublishVideo: false);

        var result = await Handler.ValidateTokenAsync(token.Token, Validation("another-secret-that-is-also-long-enough!"));

        result.IsValid.Should().BeFalse();
        result.Exception.Should().BeAssignableTo<SecurityTokenSignatureKeyNotFoundException>();
    }

    [Fact]
    public void A_short_development_secret_signs_too_with_HMAC_SHA256_of_header_and_payload()
    {
        // livekit-server --dev runs with the key pair devkey/secret, which JsonWebTokenHandler would refuse to use.
        var token = Issuer(secret: "secret").Issue("room", "user-1", "Ada", canPublishVideo: false);

        var parts = token.Token.Split('.');
        var expected = HMACSHA256.HashData("secret"u8.ToArray(), Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"));
        Base64UrlEncoder.DecodeBytes(parts[2]).Should().Equal(expected);
    }

    [Fact]
    public void Issuing_without_LiveKit_configured_throws()
    {
        var issuer = new LiveKitTokenIssuer(Options.Create(new LiveKitOptions()), TimeProvider.System);

        var issuing = () => issuer.Issue("room", "user-1", "Ada", canPublishVideo: false);

        issuing.Should().Throw<InvalidOperationException>().WithMessage("Voice and video need LiveKit*");
    }
}

public sealed class LiveKitWebhookVerifierTests
{
    private readonly SetClock _clock = new(DateTimeOffset.UtcNow);

    private LiveKitWebhookVerifier Verifier(LiveKitOptions? options = null) =>
        new(Options.Create(options ?? LiveKitTestKit.Options()), _clock);

    private LiveKitWebhookVerification Verify(string body, string? authorization, LiveKitOptions? options = null) =>
        Verifier(options).Verify(authorization, Encoding.UTF8.GetBytes(body));

    [Fact]
    public void A_signed_webhook_is_accepted_and_its_event_read()
    {
        var body = LiveKitTestKit.Event("participant_joined", "practice-1", identity: "user-1", participantSid: "PA_x", id: "EV_1",
            createdAt: LiveKitTestKit.Now);

        var verification = Verify(body, LiveKitTestKit.SignWebhook(body, _clock.Now));

        verification.IsValid.Should().BeTrue(verification.Detail);
        verification.Event.Should().BeEquivalentTo(new LiveKitWebhookPayload(
            "participant_joined",
            "EV_1",
            LiveKitTestKit.Now.ToUnixTimeSeconds(),
            new LiveKitWebhookRoom("practice-1", "RM_room1"),
            new LiveKitWebhookParticipant("user-1", "PA_x", "Test learner")));
    }

    [Fact]
    public void CreatedAt_may_also_come_as_a_number_and_a_Bearer_prefix_is_tolerated()
    {
        const string body = """{"event":"room_started","room":{"name":"r","sid":"RM_1"},"id":"EV_2","createdAt":1764583200}""";

        var verification = Verify(body, "Bearer " + LiveKitTestKit.SignWebhook(body, _clock.Now));

        verification.IsValid.Should().BeTrue(verification.Detail);
        verification.Event!.CreatedAt.Should().Be(1764583200);
        verification.Event.Participant.Should().BeNull();
    }

    [Fact]
    public void A_tampered_body_is_refused()
    {
        var body = LiveKitTestKit.Event("participant_left", "practice-1", identity: "user-1");
        var authorization = LiveKitTestKit.SignWebhook(body, _clock.Now);

        var verification = Verify(body.Replace("user-1", "user-2", StringComparison.Ordinal), authorization);

        verification.Failure.Should().Be(LiveKitWebhookFailure.BodyMismatch);
    }

    [Fact]
    public void A_webhook_signed_with_another_secret_is_refused()
    {
        var body = LiveKitTestKit.Event("room_started", "practice-1");

        var verification = Verify(body, LiveKitTestKit.SignWebhook(body, _clock.Now, secret: "not-the-secret-but-long-enough-for-hs256"));

        verification.Failure.Should().Be(LiveKitWebhookFailure.InvalidSignature);
    }

    [Fact]
    public void A_webhook_signed_by_another_api_key_is_refused()
    {
        var body = LiveKitTestKit.Event("room_started", "practice-1");

        var verification = Verify(body, LiveKitTestKit.SignWebhook(body, _clock.Now, issuer: "APIother"));

        verification.Failure.Should().Be(LiveKitWebhookFailure.WrongIssuer);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer ")]
    public void A_webhook_without_an_Authorization_header_is_refused(string? authorization)
    {
        var verification = Verify(LiveKitTestKit.Event("room_started", "practice-1"), authorization);

        verification.Failure.Should().Be(LiveKitWebhookFailure.MissingAuthorization);
    }

    [Theory]
    [InlineData("not a token")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJpc3MiOiJBUEl0ZXN0a2V5In0.")]
    public void Something_other_than_a_signed_JWT_is_refused(string authorization)
    {
        var verification = Verify(LiveKitTestKit.Event("room_started", "practice-1"), authorization);

        verification.Failure.Should().Be(LiveKitWebhookFailure.InvalidSignature);
    }

    [Fact]
    public void An_expired_webhook_is_refused()
    {
        var body = LiveKitTestKit.Event("room_started", "practice-1");

        var verification = Verify(body, LiveKitTestKit.SignWebhook(body, _clock.Now.AddMinutes(-7)));

        verification.Failure.Should().Be(LiveKitWebhookFailure.Expired);
    }

    [Fact]
    public void A_webhook_signed_longer_ago_than_the_maximum_age_is_stale_even_if_its_token_lives_on()
    {
        var body = LiveKitTestKit.Event("room_started", "practice-1");
        var options = LiveKitTestKit.Options();
        options.WebhookMaxAge = TimeSpan.FromMinutes(2);

        var verification = Verify(body, LiveKitTestKit.SignWebhook(body, _clock.Now.AddMinutes(-4)), options);

        verification.Failure.Should().Be(LiveKitWebhookFailure.Stale);
    }

    [Fact]
    public void Within_a_minute_of_clock_skew_a_webhook_is_still_accepted()
    {
        var body = LiveKitTestKit.Event("room_started", "practice-1");

        Verify(body, LiveKitTestKit.SignWebhook(body, _clock.Now.AddSeconds(30))).IsValid.Should().BeTrue("nbf is 30 s ahead");
        Verify(body, LiveKitTestKit.SignWebhook(body, _clock.Now.AddMinutes(-5.5))).IsValid.Should().BeTrue("exp is 30 s past");
    }

    [Theory]
    [InlineData("""{"event":"room_started"}""")]
    [InlineData("""{"id":"EV_1"}""")]
    [InlineData("[1,2,3]")]
    [InlineData("not json")]
    public void An_authentic_body_that_is_no_event_is_malformed(string body)
    {
        var verification = Verify(body, LiveKitTestKit.SignWebhook(body, _clock.Now));

        verification.Failure.Should().Be(LiveKitWebhookFailure.MalformedBody);
    }

    [Fact]
    public void Without_LiveKit_configured_nothing_is_accepted()
    {
        var body = LiveKitTestKit.Event("room_started", "practice-1");

        var verification = Verify(body, LiveKitTestKit.SignWebhook(body, _clock.Now), new LiveKitOptions());

        verification.Failure.Should().Be(LiveKitWebhookFailure.NotConfigured);
    }
}

public sealed class LiveKitOptionsTests
{
    [Fact]
    public void Nothing_set_is_valid_and_means_LiveKit_is_off()
    {
        var options = new LiveKitOptions();

        new LiveKitOptionsValidator().Validate(null, options).Succeeded.Should().BeTrue();
        options.IsConfigured.Should().BeFalse();
        options.TokenLifetime.Should().Be(TimeSpan.FromHours(1));
        options.WebhookMaxAge.Should().Be(TimeSpan.FromMinutes(5));
    }

    [Fact]
    public void All_three_set_is_configured()
    {
        var options = LiveKitTestKit.Options();

        new LiveKitOptionsValidator().Validate(null, options).Succeeded.Should().BeTrue();
        options.IsConfigured.Should().BeTrue();
    }

    [Theory]
    [InlineData("wss://livekit.example.test", "key", null, "must be set together")]
    [InlineData(null, "key", "secret", "must be set together")]
    [InlineData("livekit.example.test", "key", "secret", "LiveKit:Url must be an absolute")]
    [InlineData("ftp://livekit.example.test", "key", "secret", "LiveKit:Url must be an absolute")]
    public void A_partial_or_wrong_configuration_fails_at_start(string? url, string? key, string? secret, string message)
    {
        var result = new LiveKitOptionsValidator().Validate(null, new LiveKitOptions { Url = url, ApiKey = key, ApiSecret = secret });

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain(message);
    }
}

/// <summary>
/// The LiveKit endpoints in-process against real PostgreSQL, with a stand-in for the sessions service that knows each
/// session's learner, mode and status. They need the LiveKit tables, so they wait for their migration.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class LiveKitApiTests(ServersFixture servers) : IAsyncLifetime
{
    private readonly ServiceFactory<Program> _factory = new(servers, "realtimedb");
    private readonly Guid _institution = Guid.CreateVersion7();
    private SessionsStandIn _sessions = null!;

    public async Task InitializeAsync()
    {
        _sessions = await SessionsStandIn.StartAsync();
        _factory.Settings["services:sessions:http:0"] = _sessions.Address;
        _factory.Settings["HttpClientDefaults:Resilience:RetryBaseDelay"] = "00:00:00.010";
        _factory.Settings["LiveKit:Url"] = LiveKitTestKit.Url;
        _factory.Settings["LiveKit:ApiKey"] = LiveKitTestKit.ApiKey;
        _factory.Settings["LiveKit:ApiSecret"] = LiveKitTestKit.ApiSecret;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _sessions.DisposeAsync();
    }

    private static string TokenPath(Guid sessionId) => $"/v1/realtime/sessions/{sessionId}/livekit-token";

    private static async Task<(string Url, JsonWebToken Token)> JoinAsync(HttpClient client, Guid sessionId)
    {
        var response = await client.PostAsync(TokenPath(sessionId), null);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, "the body was: {0}", body);
        var answer = JsonDocument.Parse(body).RootElement;
        var token = answer.GetProperty("token").GetString()!;
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKey = LiveKitTestKit.Key(),
            ValidIssuer = LiveKitTestKit.ApiKey,
            ValidateAudience = false,
        });
        validation.IsValid.Should().BeTrue(validation.Exception?.Message);
        return (answer.GetProperty("url").GetString()!, (JsonWebToken)validation.SecurityToken);
    }

    private static JsonElement VideoGrant(JsonWebToken token) =>
        JsonDocument.Parse(Base64UrlEncoder.Decode(token.EncodedPayload)).RootElement.GetProperty("video");

    private async Task<T> InDatabaseAsync<T>(Func<RealtimeDbContext, Task<T>> query)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<RealtimeDbContext>());
    }

    private Task<LiveKitRoom?> RoomAsync(Guid sessionId) =>
        InDatabaseAsync(db => db.Set<LiveKitRoom>().AsNoTracking().SingleOrDefaultAsync(r => r.PracticeSessionId == sessionId));

    private Task<List<LiveKitParticipant>> ParticipantsAsync(Guid roomId) =>
        InDatabaseAsync(db => db.Set<LiveKitParticipant>().AsNoTracking().Where(p => p.RoomId == roomId)
            .OrderBy(p => p.TokenIssuedAt).ToListAsync());

    private async Task<HttpResponseMessage> PostWebhookAsync(string body, string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/realtime/livekit/webhook")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/webhook+json"),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return await _factory.CreateClient().SendAsync(request);
    }

    private Task<HttpResponseMessage> DeliverAsync(string body) =>
        PostWebhookAsync(body, LiveKitTestKit.SignWebhook(body, DateTimeOffset.UtcNow));

    [Theory]
    [InlineData("voice", new[] { "microphone" })]
    [InlineData("video", new[] { "camera", "microphone" })]
    public async Task The_learner_of_an_active_call_session_gets_a_token_for_its_room(string mode, string[] sources)
    {
        var learner = TestUser.Learner(_institution);
        var sessionId = _sessions.Start(learner, mode);

        var (url, token) = await JoinAsync(_factory.CreateClient(learner), sessionId);

        url.Should().Be(LiveKitTestKit.Url);
        token.Subject.Should().Be(learner.Id.ToString());
        token.GetPayloadValue<string>("name").Should().Be(learner.Name);
        token.GetPayloadValue<string>("metadata").Should().Contain(sessionId.ToString());
        VideoGrant(token).GetProperty("room").GetString().Should().Be($"practice-{sessionId:N}");
        VideoGrant(token).GetProperty("roomJoin").GetBoolean().Should().BeTrue();
        VideoGrant(token).GetProperty("canPublishSources").EnumerateArray().Select(s => s.GetString()).Should().Equal(sources);

        var room = await RoomAsync(sessionId);
        room.Should().NotBeNull();
        room!.Name.Should().Be($"practice-{sessionId:N}");
        room.Mode.ToString().Should().BeEquivalentTo(mode);
        var participant = (await ParticipantsAsync(room.Id)).Should().ContainSingle().Subject;
        participant.Identity.Should().Be(learner.Id.ToString());
        participant.UserId.Should().Be(learner.Id);
        participant.TokenIssuedAt.Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        participant.JoinedAt.Should().BeNull();
    }

    [Fact]
    public async Task Each_token_is_a_participant_row_of_the_one_room()
    {
        var learner = TestUser.Learner(_institution);
        var sessionId = _sessions.Start(learner, "voice");
        var client = _factory.CreateClient(learner);

        await JoinAsync(client, sessionId);
        await JoinAsync(client, sessionId);

        var rooms = await InDatabaseAsync(db => db.Set<LiveKitRoom>().CountAsync(r => r.PracticeSessionId == sessionId));
        rooms.Should().Be(1);
        (await ParticipantsAsync((await RoomAsync(sessionId))!.Id)).Should().HaveCount(2);
    }

    [Fact]
    public async Task A_text_session_has_no_call_409()
    {
        var learner = TestUser.Learner(_institution);
        var sessionId = _sessions.Start(learner, "text");

        var response = await _factory.CreateClient(learner).PostAsync(TokenPath(sessionId), null);

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        (await RoomAsync(sessionId)).Should().BeNull();
    }

    [Theory]
    [InlineData("completed")]
    [InlineData("abandoned")]
    public async Task A_session_that_is_not_active_409(string status)
    {
        var learner = TestUser.Learner(_institution);
        var sessionId = _sessions.Start(learner, "video", status);

        var response = await _factory.CreateClient(learner).PostAsync(TokenPath(sessionId), null);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.GetProperty("detail").GetString().Should().Contain(status);
    }

    [Fact]
    public async Task Without_LiveKit_configured_a_voice_session_is_a_503_problem_that_says_what_to_set()
    {
        _factory.Settings.Remove("LiveKit:Url");
        _factory.Settings.Remove("LiveKit:ApiKey");
        _factory.Settings.Remove("LiveKit:ApiSecret");
        var learner = TestUser.Learner(_institution);
        var sessionId = _sessions.Start(learner, "voice");

        var response = await _factory.CreateClient(learner).PostAsync(TokenPath(sessionId), null);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
        problem.GetProperty("detail").GetString().Should()
            .Be("Voice and video need LiveKit: set LiveKit:Url, LiveKit:ApiKey and LiveKit:ApiSecret");
        (await RoomAsync(sessionId)).Should().BeNull();
    }

    [Fact]
    public async Task Someone_who_may_not_read_the_session_gets_404_and_an_educator_who_may_gets_403()
    {
        var cohort = Guid.CreateVersion7();
        var learner = TestUser.Learner(_institution, cohort);
        var sessionId = _sessions.Start(learner, "voice");

        var stranger = await _factory.CreateClient(TestUser.Learner(_institution)).PostAsync(TokenPath(sessionId), null);
        var educator = await _factory.CreateClient(TestUser.Educator(_institution, cohort)).PostAsync(TokenPath(sessionId), null);
        var missing = await _factory.CreateClient(learner).PostAsync(TokenPath(Guid.CreateVersion7()), null);

        await stranger.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await educator.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await missing.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await RoomAsync(sessionId)).Should().BeNull();
    }

    [Fact]
    public async Task Anonymous_callers_get_401_and_sessions_is_not_asked()
    {
        var sessionId = _sessions.Start(TestUser.Learner(_institution), "voice");

        var response = await _factory.CreateClient().PostAsync(TokenPath(sessionId), null);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        _sessions.Authorizations.Should().BeEmpty();
    }

    [Fact]
    public async Task Sessions_failing_is_a_503_problem()
    {
        var learner = TestUser.Learner(_institution);
        var sessionId = _sessions.Start(learner, "voice");
        _sessions.FailWith = StatusCodes.Status500InternalServerError;

        var response = await _factory.CreateClient(learner).PostAsync(TokenPath(sessionId), null);

        await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task Webhooks_record_when_the_room_started_and_finished_and_when_the_learner_joined_and_left()
    {
        var learner = TestUser.Learner(_institution);
        var sessionId = _sessions.Start(learner, "video");
        await JoinAsync(_factory.CreateClient(learner), sessionId);
        var roomName = $"practice-{sessionId:N}";
        var identity = learner.Id.ToString();
        var t0 = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

        (await DeliverAsync(LiveKitTestKit.Event("room_started", roomName, "RM_a", createdAt: t0))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await DeliverAsync(LiveKitTestKit.Event("participant_joined", roomName, "RM_a", identity, "PA_a", createdAt: t0.AddSeconds(1))))
            .StatusCode.Should().Be(HttpStatusCode.OK);

        var room = (await RoomAsync(sessionId))!;
        room.Sid.Should().Be("RM_a");
        room.StartedAt.Should().Be(t0);
        room.FinishedAt.Should().BeNull();
        var joined = (await ParticipantsAsync(room.Id)).Single();
        joined.Sid.Should().Be("PA_a");
        joined.JoinedAt.Should().Be(t0.AddSeconds(1));
        joined.LeftAt.Should().BeNull();

        (await DeliverAsync(LiveKitTestKit.Event("participant_left", roomName, "RM_a", identity, "PA_a", createdAt: t0.AddSeconds(60))))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        (await DeliverAsync(LiveKitTestKit.Event("room_finished", roomName, "RM_a", createdAt: t0.AddSeconds(90))))
            .StatusCode.Should().Be(HttpStatusCode.OK);

        (await ParticipantsAsync(room.Id)).Single().LeftAt.Should().Be(t0.AddSeconds(60));
        (await RoomAsync(sessionId))!.FinishedAt.Should().Be(t0.AddSeconds(90));
    }

    [Fact]
    public async Task An_event_id_takes_effect_once_and_a_replay_is_still_200()
    {
        var learner = TestUser.Learner(_institution);
        var sessionId = _sessions.Start(learner, "voice");
        await JoinAsync(_factory.CreateClient(learner), sessionId);
        var roomName = $"practice-{sessionId:N}";
        var identity = learner.Id.ToString();
        var joined = LiveKitTestKit.Event("participant_joined", roomName, identity: identity, participantSid: "PA_a", id: "EV_join");
        await DeliverAsync(joined);
        await DeliverAsync(LiveKitTestKit.Event("participant_left", roomName, identity: identity, participantSid: "PA_a"));

        var replay = await DeliverAsync(joined);

        replay.StatusCode.Should().Be(HttpStatusCode.OK);
        var participant = (await ParticipantsAsync((await RoomAsync(sessionId))!.Id)).Single();
        participant.LeftAt.Should().NotBeNull("the replayed join must not reopen the stay");
        (await InDatabaseAsync(db => db.Set<LiveKitWebhookEvent>().CountAsync(e => e.EventId == "EV_join"))).Should().Be(1);
    }

    [Fact]
    public async Task An_event_about_a_room_realtime_did_not_create_is_accepted_and_changes_nothing()
    {
        var response = await DeliverAsync(LiveKitTestKit.Event("room_started", "someone-elses-room", id: "EV_other"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await InDatabaseAsync(db => db.Set<LiveKitRoom>().AnyAsync(r => r.Name == "someone-elses-room"))).Should().BeFalse();
    }

    public enum Forgery
    {
        Missing,
        WrongSecret,
        TamperedBody,
        Stale,
    }

    [Theory]
    [InlineData(Forgery.Missing)]
    [InlineData(Forgery.WrongSecret)]
    [InlineData(Forgery.TamperedBody)]
    [InlineData(Forgery.Stale)]
    public async Task A_webhook_without_a_valid_fresh_signature_is_a_401_problem_and_has_no_effect(Forgery forgery)
    {
        var learner = TestUser.Learner(_institution);
        var sessionId = _sessions.Start(learner, "voice");
        await JoinAsync(_factory.CreateClient(learner), sessionId);
        var body = LiveKitTestKit.Event("room_started", $"practice-{sessionId:N}", id: "EV_forged");
        var now = DateTimeOffset.UtcNow;
        var (sent, authorization) = forgery switch
        {
            Forgery.Missing => (body, null),
            Forgery.WrongSecret => (body, LiveKitTestKit.SignWebhook(body, now, secret: "not-the-secret-but-long-enough-for-hs256")),
            Forgery.TamperedBody => (body.Replace("room_started", "room_finished", StringComparison.Ordinal), LiveKitTestKit.SignWebhook(body, now)),
            Forgery.Stale => (body, LiveKitTestKit.SignWebhook(body, now.AddMinutes(-10), validFor: TimeSpan.FromHours(1))),
            _ => throw new ArgumentOutOfRangeException(nameof(forgery)),
        };

        var response = await PostWebhookAsync(sent, authorization);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        (await RoomAsync(sessionId))!.StartedAt.Should().BeNull();
        (await InDatabaseAsync(db => db.Set<LiveKitWebhookEvent>().AnyAsync(e => e.EventId == "EV_forged"))).Should().BeFalse();
    }

    [Fact]
    public async Task The_token_endpoint_is_in_the_OpenAPI_document()
    {
        var document = await _factory.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        document.GetProperty("paths").TryGetProperty("/v1/realtime/sessions/{id}/livekit-token", out _).Should().BeTrue();
    }
}
