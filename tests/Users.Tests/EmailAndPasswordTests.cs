using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using PracticePlatform.Testing;
using PracticePlatform.Users.Infrastructure;
using PracticePlatform.Users.Model;

namespace PracticePlatform.Users.Tests;

[Collection(ServersCollection.Name)]
public sealed partial class EmailAndPasswordTests(ServersFixture servers) : IAsyncLifetime
{
    private const string Password = "stethoscope-lanyard-42";
    private readonly UsersFactory _factory = new(servers);
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _client = _factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    private async Task<(Guid Id, string Email)> RegisterAsync()
    {
        var email = $"learner.{Guid.NewGuid():N}@example.org";
        var response = await _client.PostAsJsonAsync("/v1/users/register", new { email, password = Password, displayName = "Sam Learner", institutionCode = "DEMO" });
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        return ((await response.Content.ReadFromJsonAsync<RegisteredUser>())!.Id, email);
    }

    /// <summary>The link token from the newest e-mail of <paramref name="kind"/> to <paramref name="to"/>, waiting for
    /// the outbox and the mail handler to write it.</summary>
    private async Task<(string Token, MimeMessage Message)> MailTokenAsync(string to, string kind)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            foreach (var file in Directory.EnumerateFiles(_factory.MailboxDirectory, $"*-{kind}-*.eml").OrderByDescending(f => f))
            {
                using var message = await MimeMessage.LoadAsync(file);
                if (message.To.Mailboxes.Any(m => m.Address == to))
                {
                    var link = LinkToken().Match(message.TextBody ?? string.Empty);
                    link.Success.Should().BeTrue(message.TextBody);
                    return (Uri.UnescapeDataString(link.Groups[1].Value), await MimeMessage.LoadAsync(file));
                }
            }

            DateTime.UtcNow.Should().BeBefore(deadline, $"a {kind} e-mail to {to} should be written");
            await Task.Delay(100);
        }
    }

    private Task<int> MailsToAsync(string to, string kind) =>
        Task.FromResult(Directory.EnumerateFiles(_factory.MailboxDirectory, $"*-{kind}-*.eml").Count(f => File.ReadAllText(f).Contains(to, StringComparison.Ordinal)));

    private async Task<T> QueryAsync<T>(Func<UsersDbContext, Task<T>> query)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<UsersDbContext>());
    }

    [Fact]
    public async Task Registering_sends_a_verification_email_whose_link_verifies_the_address_once()
    {
        var (id, email) = await RegisterAsync();

        var (token, message) = await MailTokenAsync(email, "email-verification");
        var verify = await _client.PostAsJsonAsync("/v1/users/verify-email", new { token });
        var again = await _client.PostAsJsonAsync("/v1/users/verify-email", new { token });

        message.Subject.Should().Contain("Confirm");
        message.TextBody.Should().Contain("http://localhost:5100/verify-email?token=");
        verify.StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await again.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("token", out _).Should().BeTrue();
        (await QueryAsync(db => db.Users.SingleAsync(u => u.Id == id))).EmailVerifiedAt.Should().NotBeNull();
        var stored = await QueryAsync(db => db.UserTokens.SingleAsync(t => t.UserId == id));
        stored.TokenHash.Should().NotBe(token).And.HaveLength(64, "only a SHA-256 hash is stored");
        await OutboxWaitAsync(async () => (await QueryAsync(db => db.OutgoingMail.SingleAsync(m => m.To == email))).SentAt is not null);
        (await QueryAsync(db => db.OutgoingMail.SingleAsync(m => m.To == email))).TextBody.Should().BeNull("the body with its link is forgotten once sent");
    }

    [Fact]
    public async Task A_password_reset_sets_the_new_password_ends_every_login_and_works_once()
    {
        var (id, email) = await RegisterAsync();
        var login = await (await _client.PostAsJsonAsync("/v1/users/login", new { email, password = Password })).Content.ReadFromJsonAsync<TokenResponse>();

        (await _client.PostAsJsonAsync("/v1/users/password-reset", new { email })).StatusCode.Should().Be(HttpStatusCode.Accepted);
        var (token, _) = await MailTokenAsync(email, "password-reset");

        var weak = await _client.PostAsJsonAsync("/v1/users/password-reset/confirm", new { token, newPassword = "password1234" });
        (await weak.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("newPassword", out _).Should().BeTrue();
        var reset = await _client.PostAsJsonAsync("/v1/users/password-reset/confirm", new { token, newPassword = "a-brand-new-passphrase" });
        reset.StatusCode.Should().Be(HttpStatusCode.NoContent, "a weak password does not use the token up");

        (await _client.PostAsJsonAsync("/v1/users/login", new { email, password = Password })).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await _client.PostAsJsonAsync("/v1/users/login", new { email, password = "a-brand-new-passphrase" })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _client.PostAsJsonAsync("/v1/users/refresh", new { refreshToken = login!.RefreshToken })).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        using (var me = new HttpRequestMessage(HttpMethod.Get, "/v1/users/me"))
        {
            me.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", login.AccessToken);
            (await _client.SendAsync(me)).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the reset ended the login its access token belongs to");
        }

        var replay = await _client.PostAsJsonAsync("/v1/users/password-reset/confirm", new { token, newPassword = "yet-another-passphrase" });
        await replay.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        (await QueryAsync(db => db.AuditEvents.CountAsync(a => a.Type == AuditEventTypes.PasswordReset && a.ActorId == id))).Should().Be(1);
    }

    [Fact]
    public async Task Asking_to_reset_the_password_of_an_unknown_address_answers_the_same_and_sends_nothing()
    {
        var unknown = $"nobody.{Guid.NewGuid():N}@example.org";

        var response = await _client.PostAsJsonAsync("/v1/users/password-reset", new { email = unknown });

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        await Task.Delay(1000);
        (await MailsToAsync(unknown, "password-reset")).Should().Be(0);
        (await QueryAsync(db => db.OutgoingMail.CountAsync(m => m.To == unknown))).Should().Be(0);
    }

    [Fact]
    public async Task An_expired_reset_token_is_refused_and_changes_nothing()
    {
        var (id, email) = await RegisterAsync();
        await _client.PostAsJsonAsync("/v1/users/password-reset", new { email });
        var (token, _) = await MailTokenAsync(email, "password-reset");
        await QueryAsync(db => db.UserTokens.Where(t => t.UserId == id && t.Purpose == UserTokenPurpose.PasswordReset)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1))));

        var response = await _client.PostAsJsonAsync("/v1/users/password-reset/confirm", new { token, newPassword = "a-brand-new-passphrase" });

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        (await _client.PostAsJsonAsync("/v1/users/login", new { email, password = Password })).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private static async Task OutboxWaitAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline);
            await Task.Delay(50);
        }
    }

    [GeneratedRegex(@"token=([A-Za-z0-9_\-%]+)")]
    private static partial Regex LinkToken();
}
