using System.Net;
using PracticePlatform.Testing;

namespace PracticePlatform.Billing.Tests;

/// <summary>
/// Every billing endpoint against every kind of caller. Institution endpoints need an institution admin (or a
/// platform admin); another institution's things answer 404 like missing ones; a learner's own things are theirs
/// alone; the webhook is authenticated by its signature, not a token. Rows run in order on one host, so a row may
/// see what an earlier one did (noted where it matters).
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class AuthorizationMatrixTests(ServersFixture servers) : IAsyncLifetime
{
    private static readonly string[] Callers =
    [
        "anonymous", "learner", "learner of another institution", "educator", "institution admin", "admin of another institution", "platform admin",
    ];

    private readonly BillingHost _host = new(servers);
    private readonly Guid _institution = Guid.CreateVersion7();
    private readonly Guid _otherInstitution = Guid.CreateVersion7();
    private TestUser _seatHolder = null!;
    private Guid _subscription;
    private Guid _invoice;

    public async Task InitializeAsync()
    {
        await _host.StartAsync();
        _subscription = await _host.ActiveInstitutionSubscriptionAsync(_institution, seats: 3);
        _invoice = await _host.InDatabaseAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            db.Invoices.Where(i => i.SubscriptionId == _subscription).Select(i => i.Id)));
        _seatHolder = TestUser.Learner(_institution);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private sealed record Row(string Method, string Path, object? Body, int[] Expected, bool TakeSeatFirst = false);

    private HttpClient ClientFor(string caller) => caller switch
    {
        "anonymous" => _host.CreateClient(),
        "learner" => _host.CreateClient(TestUser.Learner(_institution)),
        "learner of another institution" => _host.CreateClient(TestUser.Learner(_otherInstitution)),
        "educator" => _host.CreateClient(TestUser.Educator(_institution)),
        "institution admin" => _host.CreateClient(TestUser.InstitutionAdmin(_institution)),
        "admin of another institution" => _host.CreateClient(TestUser.InstitutionAdmin(_otherInstitution)),
        "platform admin" => _host.CreateClient(TestUser.PlatformAdmin()),
        _ => throw new ArgumentOutOfRangeException(nameof(caller), caller, "Not a caller of the matrix."),
    };

    private List<Row> Rows()
    {
        var institution = $"/v1/billing/institutions/{_institution}";
        var subscription = $"/v1/billing/subscriptions/{_subscription}";
        var invoice = $"/v1/billing/invoices/{_invoice}";
        return
        [
            new("GET", "/v1/billing/plans", null, [200, 200, 200, 200, 200, 200, 200]),
            new("GET", "/v1/billing/plans/free", null, [200, 200, 200, 200, 200, 200, 200]),
            new("POST", "/v1/billing/plans", "new plan", [401, 403, 403, 403, 403, 403, 201]),
            new("PUT", "/v1/billing/plans/individual-monthly", new { name = "Individual" }, [401, 403, 403, 403, 403, 403, 200]),
            new("POST", "/v1/billing/plans/no-such-plan/deactivate", null, [401, 403, 403, 403, 403, 403, 404]),
            new("GET", "/v1/billing/entitlements/me", null, [401, 200, 200, 200, 200, 200, 200]),
            // Individual plans are for learners; each caller is a new user, so none is subscribed yet.
            new("POST", "/v1/billing/subscriptions", new { planCode = "individual-monthly" }, [401, 201, 201, 403, 403, 403, 403]),
            // Subscribing an institution that is not one's own: only a platform admin may (each time a new one).
            new("POST", "/v1/billing/subscriptions", "other institution", [401, 403, 403, 403, 404, 404, 201]),
            new("GET", "/v1/billing/subscriptions/me", null, [401, 404, 404, 404, 404, 404, 404]),
            new("GET", subscription, null, [401, 404, 404, 404, 200, 404, 200]),
            new("PATCH", subscription, new { seats = 4 }, [401, 404, 404, 404, 200, 404, 200]),
            new("GET", institution, null, [401, 403, 403, 403, 200, 404, 200]),
            new("GET", $"{institution}/seats", null, [401, 403, 403, 403, 200, 404, 200]),
            new("DELETE", $"{institution}/seats/{_seatHolder.Id}", null, [401, 403, 403, 403, 204, 404, 204], TakeSeatFirst: true),
            new("GET", $"{institution}/invoices", null, [401, 403, 403, 403, 200, 404, 200]),
            new("GET", $"{institution}/usage", null, [401, 403, 403, 403, 200, 404, 200]),
            new("GET", "/v1/billing/invoices", null, [401, 200, 200, 200, 200, 200, 200]),
            new("GET", invoice, null, [401, 404, 404, 404, 200, 404, 200]),
            // Already open: a platform admin may finalise only drafts.
            new("POST", $"{invoice}/finalize", null, [401, 403, 403, 403, 403, 403, 409]),
            new("POST", $"{invoice}/mark-paid", null, [401, 403, 403, 403, 403, 403, 200]),
            // Paid by the row before.
            new("POST", $"{invoice}/void", null, [401, 403, 403, 403, 403, 403, 409]),
            new("GET", "/v1/billing/usage/me", null, [401, 200, 200, 200, 200, 200, 200]),
            new("POST", "/v1/billing/payment-methods", new { provider = "manual", providerCustomerId = "bank-ref-1" }, [401, 201, 201, 201, 201, 201, 201]),
            new("GET", "/v1/billing/payment-methods", null, [401, 200, 200, 200, 200, 200, 200]),
            new("GET", $"/v1/billing/payment-methods?institutionId={_institution}", null, [401, 404, 404, 404, 200, 404, 200]),
            // Authenticated by the signature, which none of these requests carries.
            new("POST", "/v1/billing/webhooks/acme", new { id = "evt", type = "invoice.paid", created = 1 }, [400, 400, 400, 400, 400, 400, 400]),
            new("POST", "/v1/billing/admin/close-period", null, [401, 403, 403, 403, 403, 403, 200]),
            new("GET", "/v1/billing/admin/dead-letters", null, [401, 403, 403, 403, 403, 403, 200]),
            // Last, as it ends the subscription the rows above use: the second cancellation is a conflict.
            new("POST", $"{subscription}/cancel", new { atPeriodEnd = true }, [401, 404, 404, 404, 200, 404, 409]),
        ];
    }

    private static object? BodyFor(Row row) => row.Body switch
    {
        "new plan" => new { code = $"plan-{Guid.NewGuid():N}"[..20], name = "Test plan", audience = "individual", priceMinor = 100 },
        "other institution" => new { planCode = "institution-seat", seats = 1, institutionId = Guid.CreateVersion7() },
        var body => body,
    };

    [Fact]
    public async Task Every_endpoint_answers_every_caller_as_the_authorization_matrix_says()
    {
        var mismatches = new List<string>();
        foreach (var row in Rows())
        {
            for (var i = 0; i < Callers.Length; i++)
            {
                if (row.TakeSeatFirst)
                {
                    await _host.CreateClient(_seatHolder).GetAsync("/v1/billing/entitlements/me");
                }

                using var request = new HttpRequestMessage(new HttpMethod(row.Method), row.Path);
                if (BodyFor(row) is { } body)
                {
                    request.Content = BillingHost.Body(body);
                }

                var response = await ClientFor(Callers[i]).SendAsync(request);
                var status = (int)response.StatusCode;
                var text = await response.Content.ReadAsStringAsync();
                if (status != row.Expected[i])
                {
                    mismatches.Add($"{row.Method} {row.Path} as {Callers[i]}: expected {row.Expected[i]}, got {status} {text}");
                }
                else if (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                {
                    mismatches.Add($"{row.Method} {row.Path} as {Callers[i]}: {status} is not a problem: {text}");
                }
            }
        }

        mismatches.Should().BeEmpty();
    }

    [Fact]
    public async Task Anonymous_callers_are_told_a_token_is_needed()
    {
        var response = await _host.CreateClient().GetAsync("/v1/billing/entitlements/me");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        problem.GetProperty("detail").GetString().Should().Be("An access token is required.");
    }
}
