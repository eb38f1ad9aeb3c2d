using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticePlatform.Billing.Infrastructure;
using PracticePlatform.Billing.Model;
using PracticePlatform.Testing;

namespace PracticePlatform.Billing.Tests;

[Collection(ServersCollection.Name)]
public sealed class BillingServiceTests(ServersFixture servers) : ServiceConformanceTests<Program, BillingDbContext>(servers, "billingdb")
{
    private const string Plans = "/v1/billing/plans";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    private const string FreePlan = $"{Plans}/{BillingDbSeed.FreeCode}";
    private const string DeadLetters = "/v1/billing/admin/dead-letters";
    private const string Replay = $"{DeadLetters}/PracticeSessionCompleted/1700000000000-0/replay";

    private readonly Guid _institutionId = Guid.CreateVersion7();

    protected override string DocumentedPath => "/v1/billing/plans/{code}";

    private HttpClient ClientFor(string caller) => caller switch
    {
        "anonymous" => Client,
        "learner" => CreateClient(TestUser.Learner(_institutionId)),
        "learner of another institution" => CreateClient(TestUser.Learner(Guid.CreateVersion7())),
        "educator" => CreateClient(TestUser.Educator(_institutionId)),
        "institution admin" => CreateClient(TestUser.InstitutionAdmin(_institutionId)),
        "platform admin" => CreateClient(TestUser.PlatformAdmin()),
        _ => throw new ArgumentOutOfRangeException(nameof(caller), caller, "Not a caller of the matrix."),
    };

    /// <summary>The plans are public pricing, so anonymous callers read them even when every other endpoint needs a
    /// token; the dead letters are for platform admins only.</summary>
    [Theory]
    [InlineData("GET", Plans, "anonymous", HttpStatusCode.OK)]
    [InlineData("GET", Plans, "learner", HttpStatusCode.OK)]
    [InlineData("GET", Plans, "learner of another institution", HttpStatusCode.OK)]
    [InlineData("GET", Plans, "educator", HttpStatusCode.OK)]
    [InlineData("GET", Plans, "institution admin", HttpStatusCode.OK)]
    [InlineData("GET", Plans, "platform admin", HttpStatusCode.OK)]
    [InlineData("GET", FreePlan, "anonymous", HttpStatusCode.OK)]
    [InlineData("GET", FreePlan, "learner", HttpStatusCode.OK)]
    [InlineData("GET", FreePlan, "learner of another institution", HttpStatusCode.OK)]
    [InlineData("GET", FreePlan, "educator", HttpStatusCode.OK)]
    [InlineData("GET", FreePlan, "institution admin", HttpStatusCode.OK)]
    [InlineData("GET", FreePlan, "platform admin", HttpStatusCode.OK)]
    [InlineData("GET", DeadLetters, "anonymous", HttpStatusCode.Unauthorized)]
    [InlineData("GET", DeadLetters, "learner", HttpStatusCode.Forbidden)]
    [InlineData("GET", DeadLetters, "learner of another institution", HttpStatusCode.Forbidden)]
    [InlineData("GET", DeadLetters, "educator", HttpStatusCode.Forbidden)]
    [InlineData("GET", DeadLetters, "institution admin", HttpStatusCode.Forbidden)]
    [InlineData("GET", DeadLetters, "platform admin", HttpStatusCode.OK)]
    [InlineData("POST", Replay, "anonymous", HttpStatusCode.Unauthorized)]
    [InlineData("POST", Replay, "learner", HttpStatusCode.Forbidden)]
    [InlineData("POST", Replay, "learner of another institution", HttpStatusCode.Forbidden)]
    [InlineData("POST", Replay, "educator", HttpStatusCode.Forbidden)]
    [InlineData("POST", Replay, "institution admin", HttpStatusCode.Forbidden)]
    [InlineData("POST", Replay, "platform admin", HttpStatusCode.NotFound)]
    public async Task Each_endpoint_answers_each_caller_as_the_authorization_matrix_says(string method, string path, string caller, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        var response = await ClientFor(caller).SendAsync(request);

        if ((int)expected >= 400)
        {
            await response.ShouldBeProblemAsync(expected);
        }
        else
        {
            response.StatusCode.Should().Be(expected, await response.Content.ReadAsStringAsync());
        }
    }

    private Task<List<PlanDetails>?> ListAsync(string query = "") => Client.GetFromJsonAsync<List<PlanDetails>>($"{Plans}{query}", Json);

    private async Task ChangePlanAsync(string code, Action<Plan> change)
    {
        await Client.GetAsync("/alive");
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        change(await db.Plans.SingleAsync(p => p.Code == code));
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task The_three_seeded_plans_are_listed_cheapest_first()
    {
        var plans = await ListAsync();

        plans!.Select(p => (p.Code, p.PriceMinor)).Should().Equal(
            (BillingDbSeed.FreeCode, 0L),
            (BillingDbSeed.InstitutionSeatCode, 1200L),
            (BillingDbSeed.IndividualMonthlyCode, 1900L));
        plans.Should().OnlyContain(p => p.Currency == "USD" && p.BillingInterval == "month" && p.IsActive);
    }

    [Theory]
    [InlineData("individual", BillingDbSeed.FreeCode, BillingDbSeed.IndividualMonthlyCode)]
    [InlineData("INDIVIDUAL", BillingDbSeed.FreeCode, BillingDbSeed.IndividualMonthlyCode)]
    [InlineData("Institution", BillingDbSeed.InstitutionSeatCode)]
    public async Task The_audience_filter_ignores_case(string audience, params string[] expectedCodes)
    {
        var plans = await ListAsync($"?audience={audience}");

        plans!.Select(p => p.Code).Should().Equal(expectedCodes);
    }

    [Theory]
    [InlineData("everyone")]
    [InlineData("1")]
    public async Task An_unknown_audience_is_a_400_problem_naming_the_field(string audience)
    {
        var response = await Client.GetAsync($"{Plans}?audience={audience}");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Should().Equal("audience");
    }

    [Fact]
    public async Task A_plan_is_found_by_its_code_in_any_case()
    {
        var plan = await Client.GetFromJsonAsync<PlanDetails>($"{Plans}/Institution-SEAT", Json);

        plan!.Code.Should().Be(BillingDbSeed.InstitutionSeatCode);
        plan.Name.Should().Be("Institution");
        plan.Audience.Should().Be(PlanAudience.Institution);
        plan.PriceMinor.Should().Be(1200);
        plan.PricedPerSeat.Should().BeTrue();
        plan.MonthlySessionAllowance.Should().BeNull();
    }

    [Fact]
    public async Task An_unknown_plan_code_is_a_404_problem()
    {
        var response = await Client.GetAsync($"{Plans}/platinum");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        problem.GetProperty("detail").GetString().Should().Contain("platinum");
    }

    [Fact]
    public async Task A_plan_no_longer_offered_is_left_out_of_the_list_but_still_found_by_its_code()
    {
        await ChangePlanAsync(BillingDbSeed.FreeCode, plan => plan.IsActive = false);

        var plans = await ListAsync();
        var free = await Client.GetFromJsonAsync<PlanDetails>($"{Plans}/{BillingDbSeed.FreeCode}", Json);

        plans!.Select(p => p.Code).Should().Equal(BillingDbSeed.InstitutionSeatCode, BillingDbSeed.IndividualMonthlyCode);
        free!.IsActive.Should().BeFalse();
    }

    [Fact]
    public async Task Seeding_twice_keeps_three_plans_and_a_price_changed_in_the_database()
    {
        await ChangePlanAsync(BillingDbSeed.IndividualMonthlyCode, plan => plan.PriceMinor = 2400);
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();

        await BillingDbSeed.SeedAsync(db, scope.ServiceProvider, CancellationToken.None);

        (await db.Plans.Select(p => p.Code).ToListAsync()).Should().BeEquivalentTo(
            [BillingDbSeed.FreeCode, BillingDbSeed.IndividualMonthlyCode, BillingDbSeed.InstitutionSeatCode]);
        (await db.Plans.SingleAsync(p => p.Code == BillingDbSeed.IndividualMonthlyCode)).PriceMinor.Should().Be(2400);
    }
}
