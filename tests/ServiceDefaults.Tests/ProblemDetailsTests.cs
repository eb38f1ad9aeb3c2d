using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;
using PracticePlatform.Testing;

namespace PracticePlatform.ServiceDefaults.Tests;

/// <summary>Every error a service can produce leaves as ProblemDetails, with the reason where the client caused it.</summary>
public sealed class ProblemDetailsInDevelopmentTests() : ProblemDetailsTests("Development");

public sealed class ProblemDetailsInProductionTests() : ProblemDetailsTests("Production");

public abstract class ProblemDetailsTests(string environment) : IAsyncLifetime
{
    private sealed record Greeting(string Name, int Times);

    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseTestServer();

        // These tests are about error answers, not access: the endpoints are open.
        builder.Configuration["Authentication:RequireAuthenticatedUserByDefault"] = "false";
        builder.AddServiceDefaults();
        _app = builder.Build();
        _app.MapDefaultEndpoints();
        _app.MapPost("/greet", (Greeting greeting) => TypedResults.Ok(greeting.Name));
        _app.MapGet("/count/{n:int}", (int n) => n);
        _app.MapGet("/query", (int page) => page);
        _app.MapGet("/boom", string () => throw new InvalidOperationException("secret internals"));
        await _app.StartAsync();
        _client = _app.GetTestClient();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Malformed_JSON_is_a_400_problem_that_says_where()
    {
        var response = await _client.PostAsync("/greet", new StringContent("{\"name\": \"a\", ", Encoding.UTF8, "application/json"));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("title").GetString().Should().Be("The request could not be read.");
        problem.GetProperty("detail").GetString().Should().Contain("Path:");
    }

    [Fact]
    public async Task A_wrong_type_in_the_body_is_a_400_problem()
    {
        var response = await _client.PostAsync("/greet", new StringContent("{\"name\": \"a\", \"times\": \"many\"}", Encoding.UTF8, "application/json"));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("detail").GetString().Should().Contain("times");
    }

    [Fact]
    public async Task A_query_value_of_the_wrong_type_is_a_400_problem()
    {
        var response = await _client.GetAsync("/query?page=abc");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("detail").GetString().Should().Contain("page");
    }

    [Fact]
    public async Task A_wrong_content_type_is_a_415_problem()
    {
        var response = await _client.PostAsync("/greet", new StringContent("name=a", Encoding.UTF8, "text/plain"));

        await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Unknown_routes_and_methods_are_problems()
    {
        await (await _client.GetAsync("/nowhere")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await _client.DeleteAsync("/greet")).ShouldBeProblemAsync(HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task An_unhandled_exception_is_a_500_problem_that_hides_the_internals_outside_Development()
    {
        var response = await _client.GetAsync("/boom");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.InternalServerError);
        if (environment == "Development")
        {
            // The developer exception page: details are the point there.
            problem.ToString().Should().Contain("secret internals");
        }
        else
        {
            problem.ToString().Should().NotContain("secret internals");
        }
    }
}
