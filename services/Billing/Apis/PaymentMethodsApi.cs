using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticePlatform.Billing.Apis;
using PracticePlatform.Billing.Infrastructure;
using PracticePlatform.Billing.Model;
using PracticePlatform.ServiceDefaults.Authentication;

namespace Microsoft.AspNetCore.Builder;

public static class PaymentMethodsApi
{
    /// <summary>Field names that only card data has; a body carrying one is refused whatever its value.</summary>
    private static readonly HashSet<string> CardFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "cardNumber", "card_number", "number", "pan", "cvc", "cvv", "cvc2", "cvv2", "securityCode", "security_code",
    };

    private static readonly string[] Known =
    [
        "provider", "providerCustomerId", "providerPaymentMethodId", "providerBillingAddressId", "brand", "last4", "institutionId",
    ];

    public static RouteGroupBuilder MapPaymentMethodsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/billing/payment-methods").WithTags("Payment methods").RequireAuthorization();

        api.MapPost("/", AddPaymentMethod)
            .WithName("AddPaymentMethod")
            .WithSummary("Store a payment method as the provider's references only: { provider, providerCustomerId, providerPaymentMethodId?, providerBillingAddressId?, brand?, last4?, institutionId? (institution admins) }. A body with anything like a card number is refused.")
            .Accepts<JsonElement>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        api.MapGet("/", ListPaymentMethods)
            .WithName("ListPaymentMethods")
            .WithSummary("The caller's own payment methods, or an institution's (?institutionId=, its admins and platform admins).")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    public static async Task<Results<Created<PaymentMethodDetails>, ValidationProblem, ProblemHttpResult>> AddPaymentMethod(
        JsonElement body, [AsParameters] BillingServices services, CancellationToken cancellationToken)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["The body is a JSON object."] });
        }

        if (FindCardData(body) is { } path)
        {
            return BillingProblems.Unprocessable("Card data is never accepted",
                $"'{path}' looks like card data. Send only the payment provider's references (providerCustomerId, providerPaymentMethodId) and at most the brand and last four digits.");
        }

        var errors = new Dictionary<string, string[]>();
        var provider = Text(body, "provider", errors, required: true, maxLength: 64)?.ToLowerInvariant();
        var customer = Text(body, "providerCustomerId", errors, required: true, maxLength: 200);
        var method = Text(body, "providerPaymentMethodId", errors, required: false, maxLength: 200);
        var address = Text(body, "providerBillingAddressId", errors, required: false, maxLength: 200);
        var brand = Text(body, "brand", errors, required: false, maxLength: 32);
        var last4 = Text(body, "last4", errors, required: false, maxLength: 4);
        if (last4 is not null && (last4.Length != 4 || !last4.All(char.IsAsciiDigit)))
        {
            errors["last4"] = ["last4 is exactly four digits."];
        }

        Guid? institutionId = null;
        if (body.TryGetProperty("institutionId", out var institution) && institution.ValueKind != JsonValueKind.Null)
        {
            if (institution.ValueKind == JsonValueKind.String && Guid.TryParse(institution.GetString(), out var parsed))
            {
                institutionId = parsed;
            }
            else
            {
                errors["institutionId"] = ["institutionId is a GUID."];
            }
        }

        foreach (var property in body.EnumerateObject().Where(p => !Known.Contains(p.Name, StringComparer.Ordinal)))
        {
            errors[property.Name] = ["Not a field of a payment method."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (services.Providers.Find(provider) is null)
        {
            return BillingProblems.Unprocessable("No such payment provider", $"'{provider}' is not a configured payment provider.");
        }

        var user = services.User;
        if (institutionId is { } id && !user.ManagesInstitution(id))
        {
            return BillingProblems.NotFound($"The institution '{id}'");
        }

        var paymentMethod = new PaymentMethod
        {
            OwnerKind = institutionId is null ? SubscriberKind.User : SubscriberKind.Institution,
            UserId = institutionId is null ? user.Id : null,
            InstitutionId = institutionId ?? user.InstitutionId,
            Provider = provider!,
            ProviderCustomerId = customer!,
            ProviderPaymentMethodId = method,
            ProviderBillingAddressId = address,
            Brand = brand,
            Last4 = last4,
            CreatedAt = services.Time.GetUtcNow(),
        };
        services.Db.PaymentMethods.Add(paymentMethod);
        await services.Db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/v1/billing/payment-methods/{paymentMethod.Id}", PaymentMethodDetails.From(paymentMethod));
    }

    public static async Task<Results<Ok<List<PaymentMethodDetails>>, ProblemHttpResult>> ListPaymentMethods(
        BillingDbContext db, ICurrentUser user, CancellationToken cancellationToken, Guid? institutionId = null)
    {
        IQueryable<PaymentMethod> methods;
        if (institutionId is { } id)
        {
            if (!user.ManagesInstitution(id))
            {
                return BillingProblems.NotFound($"The institution '{id}'");
            }

            methods = db.PaymentMethods.Where(m => m.OwnerKind == SubscriberKind.Institution && m.InstitutionId == id);
        }
        else
        {
            var userId = user.Id;
            methods = db.PaymentMethods.Where(m => m.OwnerKind == SubscriberKind.User && m.UserId == userId);
        }

        var list = await methods.AsNoTracking().OrderBy(m => m.CreatedAt).ToListAsync(cancellationToken);
        return TypedResults.Ok(list.Select(PaymentMethodDetails.From).ToList());
    }

    /// <summary>The path of the first field that is card data: a card-only field name, or a value of 12 to 19 digits
    /// (spaces and dashes allowed) passing the Luhn check, anywhere in the document.</summary>
    public static string? FindCardData(JsonElement element, string path = "$")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var at = $"{path}.{property.Name}";
                    if (CardFields.Contains(property.Name))
                    {
                        return at;
                    }

                    if (FindCardData(property.Value, at) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FindCardData(item, $"{path}[{index++}]") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.String:
                return LooksLikeCardNumber(element.GetString()!) ? path : null;
            case JsonValueKind.Number:
                return LooksLikeCardNumber(element.GetRawText()) ? path : null;
            default:
                return null;
        }
    }

    public static bool LooksLikeCardNumber(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Any(c => !char.IsAsciiDigit(c) && c != ' ' && c != '-'))
        {
            return false;
        }

        var digits = value.Where(char.IsAsciiDigit).Select(c => c - '0').ToArray();
        if (digits.Length is < 12 or > 19)
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var digit = digits[digits.Length - 1 - i];
            if (i % 2 == 1)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }

            sum += digit;
        }

        return sum % 10 == 0;
    }

    private static string? Text(JsonElement body, string name, Dictionary<string, string[]> errors, bool required, int maxLength)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors[name] = [$"{name} is required."];
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()) || value.GetString()!.Trim().Length > maxLength)
        {
            errors[name] = [$"{name} is a text of 1 to {maxLength} characters."];
            return null;
        }

        return value.GetString()!.Trim();
    }
}
