using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace PracticePlatform.ServiceDefaults.Resilience;

public static class HttpResilienceExtensions
{
    public static IServiceCollection AddHttpResilience(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HttpResilienceOptions>()
            .Bind(configuration.GetSection(HttpResilienceOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.AttemptTimeout <= o.TotalRequestTimeout, "AttemptTimeout must not exceed TotalRequestTimeout.")
            .Validate(o => o.SamplingDuration >= 2 * o.AttemptTimeout, "SamplingDuration must be at least twice AttemptTimeout.")
            .ValidateOnStart();
        services.AddSingleton<HttpResiliencePipelines>();
        services.AddTransient<StandardResilienceHandler>();
        return services;
    }

    /// <summary>Total timeout, retries with exponential back-off and jitter, a circuit breaker per destination
    /// and a per-attempt timeout, outermost first.</summary>
    public static IHttpClientBuilder AddStandardResilienceHandler(this IHttpClientBuilder builder) =>
        builder.AddHttpMessageHandler<StandardResilienceHandler>();
}

/// <summary>One pipeline per destination authority, so a failing service opens only its own circuit.</summary>
public sealed class HttpResiliencePipelines(IOptions<HttpResilienceOptions> options)
{
    private readonly ConcurrentDictionary<string, ResiliencePipeline<HttpResponseMessage>> _pipelines = new(StringComparer.OrdinalIgnoreCase);

    internal static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("practiceplatform.request");

    public ResiliencePipeline<HttpResponseMessage> For(Uri? destination) =>
        _pipelines.GetOrAdd(destination?.IsAbsoluteUri == true ? destination.Authority : "(relative)", _ => Build(options.Value));

    internal static ResiliencePipeline<HttpResponseMessage> Build(HttpResilienceOptions o) =>
        new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddTimeout(o.TotalRequestTimeout)
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(1, o.MaxRetryAttempts),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = o.RetryBaseDelay,
                ShouldHandle = args => ValueTask.FromResult(
                    o.MaxRetryAttempts > 0 && IsRetryable(args.Context) && IsTransient(args.Outcome)),
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = o.FailureRatio,
                MinimumThroughput = o.MinimumThroughput,
                SamplingDuration = o.SamplingDuration,
                BreakDuration = o.BreakDuration,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
            })
            .AddTimeout(o.AttemptTimeout)
            .Build();

    /// <summary>Only idempotent requests are repeated: a POST that timed out may already have taken effect.</summary>
    private static bool IsRetryable(ResilienceContext context) =>
        context.Properties.TryGetValue(RequestKey, out var request) &&
        (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || request.Method == HttpMethod.Options ||
         request.Method == HttpMethod.Put || request.Method == HttpMethod.Delete);

    internal static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => response.StatusCode >= HttpStatusCode.InternalServerError ||
                                    response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests,
        _ => false,
    };
}

/// <summary>Runs every HttpClient request through the destination's resilience pipeline.</summary>
public sealed class StandardResilienceHandler(HttpResiliencePipelines pipelines) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var pipeline = pipelines.For(request.RequestUri);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(HttpResiliencePipelines.RequestKey, request);
        try
        {
            var outcome = await pipeline.ExecuteOutcomeAsync(
                static async (ctx, state) =>
                {
                    try
                    {
                        return Outcome.FromResult(await state.handler.SendAttemptAsync(state.request, ctx.CancellationToken));
                    }
                    catch (Exception ex)
                    {
                        return Outcome.FromException<HttpResponseMessage>(ex);
                    }
                },
                context,
                (handler: this, request));
            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<HttpResponseMessage> SendAttemptAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);
}
