using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Npgsql;
using PracticePlatform.Billing.Infrastructure;
using PracticePlatform.Billing.Model;
using PracticePlatform.ServiceDefaults.Authentication;

namespace PracticePlatform.Billing.Apis;

/// <summary>What the subscription and invoice endpoints need besides the request.</summary>
/// <remarks>[FromServices] also keeps the request validator out of these objects.</remarks>
public sealed record BillingServices(
    [FromServices] BillingDbContext Db,
    [FromServices] ICurrentUser User,
    [FromServices] Invoicing Invoicing,
    [FromServices] EntitlementNotices Notices,
    [FromServices] PaymentOutcomes Payments,
    [FromServices] PaymentProviders Providers,
    [FromServices] TimeProvider Time,
    [FromServices] IOptions<BillingOptions> Options);

/// <summary>Who may see what: a learner their own subscription and invoices, an institution admin their institution's,
/// a platform admin everything. Anything else answers like something missing.</summary>
public static class BillingAccess
{
    public static bool CanRead(this ICurrentUser user, Subscription subscription)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(subscription);
        return Owns(user, subscription.SubscriberKind, subscription.UserId, subscription.InstitutionId);
    }

    public static bool CanRead(this ICurrentUser user, Invoice invoice)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(invoice);
        return Owns(user, invoice.SubscriberKind, invoice.UserId, invoice.InstitutionId);
    }

    /// <summary>Institution admins act for their own institution, platform admins for any.</summary>
    public static bool ManagesInstitution(this ICurrentUser user, Guid institutionId)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsPlatformAdmin || (user.IsInstitutionAdmin && user.InstitutionId == institutionId);
    }

    private static bool Owns(ICurrentUser user, SubscriberKind kind, Guid? userId, Guid? institutionId) =>
        user.IsPlatformAdmin ||
        (kind == SubscriberKind.User && userId == user.Id) ||
        (kind == SubscriberKind.Institution && institutionId is { } institution && user.ManagesInstitution(institution));
}

public static class BillingProblems
{
    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem($"{what} does not exist.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static ProblemHttpResult Conflict(string title, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: title);

    public static ProblemHttpResult Unprocessable(string title, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status422UnprocessableEntity, title: title);

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");

    public static bool IsUniqueViolation(this Microsoft.EntityFrameworkCore.DbUpdateException exception) =>
        exception?.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
