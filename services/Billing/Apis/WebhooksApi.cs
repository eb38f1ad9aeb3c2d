using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using PracticePlatform.Billing.Apis;
using PracticePlatform.Billing.Infrastructure;

namespace Microsoft.AspNetCore.Builder;

public static partial class WebhooksApi
{
    private const int MaxBodyBytes = 64 * 1024;

    public static RouteGroupBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        // The provider proves itself with the signature, not a token.
        var api = app.MapGroup("/v1/billing/webhooks").WithTags("Webhooks").AllowAnonymous();

        api.MapPost("/{provider}", ReceiveWebhook)
            .WithName("ReceiveProviderWebhook")
            .WithSummary("A payment provider's event, signed: PracticePlatform-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<raw body>\" under Billing:Providers:{provider}:WebhookSecret>. Body { id, type, created, data: { invoiceId, subscriptionId, paymentId, reason, atPeriodEnd } }; types invoice.paid, payment.succeeded, invoice.payment_failed, payment.failed, subscription.cancelled. Each event id is applied once; late, older events do not undo newer ones.")
            .Accepts<ProviderEvent>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    public static async Task<Results<Ok<WebhookOutcome>, ProblemHttpResult>> ReceiveWebhook(
        string provider,
        HttpRequest request,
        PaymentProviders providers,
        ProviderWebhooks webhooks,
        IOptions<BillingOptions> options,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var name = provider.Trim().ToLowerInvariant();
        if (providers.WebhookSecret(name) is not { } secret)
        {
            return BillingProblems.NotFound($"The payment provider '{provider}'");
        }

        var body = await ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            return Bad("The body is too large", $"A webhook body is at most {MaxBodyBytes} bytes.");
        }

        var header = request.Headers[WebhookSignature.HeaderName].ToString();
        var check = WebhookSignature.Verify(header, body, secret, time.GetUtcNow(), options.Value.WebhookTolerance);
        if (check != SignatureCheck.Valid)
        {
            LogRefused(loggers.CreateLogger(typeof(WebhooksApi)), name, check);
        }

        switch (check)
        {
            case SignatureCheck.Missing:
                return Bad("The signature is missing", $"Sign the request with the {WebhookSignature.HeaderName} header.");
            case SignatureCheck.Malformed:
                return Bad("The signature is malformed", $"{WebhookSignature.HeaderName} is \"t=<unix seconds>,v1=<hex HMAC-SHA256>\".");
            case SignatureCheck.OutsideTolerance:
                return Unauthorized("The signature is too old", $"The signed timestamp is more than {options.Value.WebhookTolerance} from now.");
            case SignatureCheck.Mismatch:
                return Unauthorized("The signature does not match", "No v1 signature matches the body under the provider's secret.");
        }

        if (ProviderEvent.Parse(body) is not { } @event)
        {
            return Bad("Not a provider event", "The body is { \"id\", \"type\", \"created\", \"data\": { ... } }.");
        }

        return TypedResults.Ok(await webhooks.ApplyAsync(name, @event, cancellationToken));
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            await buffer.WriteAsync(chunk.AsMemory(0, read), cancellationToken);
        }

        return buffer.ToArray();
    }

    private static ProblemHttpResult Bad(string title, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: title);

    private static ProblemHttpResult Unauthorized(string title, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: title);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A webhook for {Provider} was refused: {Check}")]
    private static partial void LogRefused(ILogger logger, string provider, SignatureCheck check);
}
