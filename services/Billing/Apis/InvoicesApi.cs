using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticePlatform.Billing.Apis;
using PracticePlatform.Billing.Infrastructure;
using PracticePlatform.Billing.Model;
using PracticePlatform.ServiceDefaults.Authentication;

namespace Microsoft.AspNetCore.Builder;

public static class InvoicesApi
{
    public static RouteGroupBuilder MapInvoicesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/billing/invoices").WithTags("Invoices").RequireAuthorization();

        api.MapGet("/", ListMyInvoices)
            .WithName("ListMyInvoices")
            .WithSummary("The caller's own invoices (their individual subscription's), newest first; institution invoices are under /v1/billing/institutions/{id}/invoices.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        api.MapGet("/{id:guid}", GetInvoice)
            .WithName("GetInvoice")
            .WithSummary("One invoice with its lines and payments: for its learner, the admins of its institution (institution invoices) and platform admins; 404 for anyone else.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/{id:guid}/finalize", FinalizeInvoice)
            .WithName("FinalizeInvoice")
            .WithSummary("Issue a draft invoice now (draft → open), giving it the year's next number; platform admins.")
            .RequireAuthorization(PlatformPolicies.PlatformAdmin)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/{id:guid}/mark-paid", MarkInvoicePaid)
            .WithName("MarkInvoicePaid")
            .WithSummary("Record a bank transfer received for an open invoice (open → paid); a past-due or restricted subscription becomes active again. Platform admins.")
            .RequireAuthorization(PlatformPolicies.PlatformAdmin)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/{id:guid}/void", VoidInvoice)
            .WithName("VoidInvoice")
            .WithSummary("Void a draft or open invoice (its number, if any, stays used). Platform admins.")
            .RequireAuthorization(PlatformPolicies.PlatformAdmin)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        return api;
    }

    public static async Task<Ok<List<InvoiceDetails>>> ListMyInvoices(BillingDbContext db, ICurrentUser user, CancellationToken cancellationToken)
    {
        var userId = user.Id;
        var invoices = await db.Invoices.AsNoTracking().Include(i => i.Lines)
            .Where(i => i.SubscriberKind == SubscriberKind.User && i.UserId == userId)
            .OrderByDescending(i => i.CreatedAt)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(invoices.Select(i => InvoiceDetails.From(i)).ToList());
    }

    public static async Task<Results<Ok<InvoiceDetails>, ProblemHttpResult>> GetInvoice(
        Guid id, BillingDbContext db, ICurrentUser user, CancellationToken cancellationToken)
    {
        var invoice = await db.Invoices.AsNoTracking().Include(i => i.Lines).SingleOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (invoice is null || !user.CanRead(invoice))
        {
            return BillingProblems.NotFound($"The invoice '{id}'");
        }

        var payments = await db.Payments.AsNoTracking().Where(p => p.InvoiceId == id).ToListAsync(cancellationToken);
        return TypedResults.Ok(InvoiceDetails.From(invoice, payments));
    }

    public static async Task<Results<Ok<InvoiceDetails>, ProblemHttpResult>> FinalizeInvoice(
        Guid id, [AsParameters] BillingServices services, CancellationToken cancellationToken)
    {
        if (!await services.Db.Invoices.AnyAsync(i => i.Id == id, cancellationToken))
        {
            return BillingProblems.NotFound($"The invoice '{id}'");
        }

        try
        {
            var invoice = await services.Invoicing.FinaliseAsync(id, cancellationToken);
            return TypedResults.Ok(InvoiceDetails.From(invoice));
        }
        catch (InvoiceStateException ex)
        {
            return BillingProblems.Conflict("The invoice is not a draft", ex.Message);
        }
    }

    public static async Task<Results<Ok<InvoiceDetails>, ProblemHttpResult>> MarkInvoicePaid(
        Guid id, [AsParameters] BillingServices services, CancellationToken cancellationToken)
    {
        var db = services.Db;
        try
        {
            return await db.InTransactionAsync<Results<Ok<InvoiceDetails>, ProblemHttpResult>>(async token =>
            {
                await db.Database.ExecuteSqlAsync($"SELECT 1 FROM invoices WHERE id = {id} FOR UPDATE", token);
                var invoice = await db.Invoices.Include(i => i.Lines).SingleOrDefaultAsync(i => i.Id == id, token);
                if (invoice is null)
                {
                    return BillingProblems.NotFound($"The invoice '{id}'");
                }

                if (invoice.Status == InvoiceStatus.Paid)
                {
                    return BillingProblems.Conflict("The invoice is already paid", $"Invoice {invoice.Number} was paid at {invoice.PaidAt:O}.");
                }

                var provider = await db.Subscriptions.Where(s => s.Id == invoice.SubscriptionId).Select(s => s.PaymentProvider).SingleAsync(token);
                await services.Payments.PaidAsync(invoice, provider, null, null, token);
                await db.SaveChangesAsync(token);
                var payments = await db.Payments.AsNoTracking().Where(p => p.InvoiceId == id).ToListAsync(token);
                return TypedResults.Ok(InvoiceDetails.From(invoice, payments));
            }, cancellationToken);
        }
        catch (InvoiceStateException ex)
        {
            return BillingProblems.Conflict("The invoice cannot be paid", ex.Message);
        }
    }

    public static async Task<Results<Ok<InvoiceDetails>, ProblemHttpResult>> VoidInvoice(
        Guid id, [AsParameters] BillingServices services, CancellationToken cancellationToken)
    {
        var db = services.Db;
        return await db.InTransactionAsync<Results<Ok<InvoiceDetails>, ProblemHttpResult>>(async token =>
        {
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM invoices WHERE id = {id} FOR UPDATE", token);
            var invoice = await db.Invoices.Include(i => i.Lines).SingleOrDefaultAsync(i => i.Id == id, token);
            if (invoice is null)
            {
                return BillingProblems.NotFound($"The invoice '{id}'");
            }

            if (invoice.Status is InvoiceStatus.Paid or InvoiceStatus.Void)
            {
                return BillingProblems.Conflict("The invoice cannot be voided", $"The invoice is already {invoice.Status.ToString().ToLowerInvariant()}.");
            }

            invoice.Status = InvoiceStatus.Void;
            invoice.VoidedAt = services.Time.GetUtcNow();
            await db.SaveChangesAsync(token);
            return TypedResults.Ok(InvoiceDetails.From(invoice));
        }, cancellationToken);
    }
}
