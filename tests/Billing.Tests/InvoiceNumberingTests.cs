using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticePlatform.Billing.Infrastructure;
using PracticePlatform.Billing.Model;
using PracticePlatform.Testing;

namespace PracticePlatform.Billing.Tests;

/// <summary>Invoice numbers are sequential per year with no gaps and no duplicates, however many finalisations run at
/// once, and a finalisation that rolls back gives its number back.</summary>
[Collection(ServersCollection.Name)]
public sealed class InvoiceNumberingTests(ServersFixture servers) : IAsyncLifetime
{
    private readonly BillingHost _host = new(servers);

    public Task InitializeAsync() => _host.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<List<Guid>> DraftsAsync(int count)
    {
        var subscription = await _host.SubscribeInstitutionAsync(Guid.CreateVersion7(), seats: 1);
        var subscriptionId = subscription.GetProperty("id").GetGuid();
        return await _host.InDatabaseAsync(async db =>
        {
            var owner = await db.Subscriptions.Include(s => s.Plan).SingleAsync(s => s.Id == subscriptionId);
            var invoicing = new Invoicing(db, _host.Clock, Microsoft.Extensions.Options.Options.Create(new BillingOptions()), new PaymentProviders(Microsoft.Extensions.Options.Options.Create(new BillingOptions())));
            var drafts = Enumerable.Range(0, count).Select(_ =>
            {
                var draft = invoicing.NewDraft(owner, owner.CurrentPeriodStart, owner.CurrentPeriodEnd);
                invoicing.AddFee(draft, owner, owner.CurrentPeriodStart, owner.CurrentPeriodEnd);
                return draft.Id;
            }).ToList();
            await db.SaveChangesAsync();
            return drafts;
        });
    }

    private Task<HttpResponseMessage> FinaliseAsync(Guid id) =>
        BillingHost.PostAsync(_host.CreateClient(TestUser.PlatformAdmin()), $"/v1/billing/invoices/{id}/finalize");

    [Fact]
    public async Task Forty_concurrent_finalisations_get_numbers_1_to_40_exactly_and_a_rolled_back_one_leaves_no_gap()
    {
        var drafts = await DraftsAsync(41);

        var responses = await Task.WhenAll(drafts.Take(40).Select(FinaliseAsync));

        responses.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.OK);
        var numbers = await _host.InDatabaseAsync(db => db.Invoices.Where(i => i.Number != null).Select(i => i.Number!).ToListAsync());
        numbers.Should().BeEquivalentTo(Enumerable.Range(1, 40).Select(n => $"INV-2026-{n:D6}"));

        await _host.InDatabaseAsync(async db =>
        {
            var invoicing = ActivatorUtilities.CreateInstance<Invoicing>(_host.Services, db);
            await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync();
                var finalised = await invoicing.FinaliseAsync(drafts[40], CancellationToken.None);
                finalised.Number.Should().Be("INV-2026-000041");
                await transaction.RollbackAsync();
            });
        });
        (await FinaliseAsync(drafts[40])).StatusCode.Should().Be(HttpStatusCode.OK);

        var last = await _host.InDatabaseAsync(db => db.Invoices.SingleAsync(i => i.Id == drafts[40]));
        last.Number.Should().Be("INV-2026-000041", "the rolled-back finalisation gave its number back");
        last.Status.Should().Be(InvoiceStatus.Open);
    }

    [Fact]
    public async Task Finalising_an_invoice_twice_is_a_409_problem_and_keeps_its_number()
    {
        var draft = (await DraftsAsync(1)).Single();
        (await FinaliseAsync(draft)).EnsureSuccessStatusCode();

        await (await FinaliseAsync(draft)).ShouldBeProblemAsync(HttpStatusCode.Conflict);

        (await _host.InDatabaseAsync(db => db.Invoices.SingleAsync(i => i.Id == draft))).Number.Should().Be("INV-2026-000001");
    }

    [Fact]
    public async Task Numbers_start_again_at_1_in_a_new_year()
    {
        var drafts = await DraftsAsync(2);
        (await FinaliseAsync(drafts[0])).EnsureSuccessStatusCode();
        _host.Clock.Now = new DateTimeOffset(2027, 1, 1, 0, 0, 1, TimeSpan.Zero);

        (await FinaliseAsync(drafts[1])).EnsureSuccessStatusCode();

        (await _host.InDatabaseAsync(db => db.Invoices.SingleAsync(i => i.Id == drafts[1]))).Number.Should().Be("INV-2027-000001");
    }
}
