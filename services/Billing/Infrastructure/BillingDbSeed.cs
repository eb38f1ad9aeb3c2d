using Microsoft.EntityFrameworkCore;
using PracticePlatform.Billing.Model;

namespace PracticePlatform.Billing.Infrastructure;

/// <summary>The plans the platform sells, present in every environment. Only missing codes are added, so prices
/// changed in the database are kept.</summary>
public static class BillingDbSeed
{
    public const string FreeCode = "free";
    public const string IndividualMonthlyCode = "individual-monthly";
    public const string InstitutionSeatCode = "institution-seat";

    public static async Task SeedAsync(BillingDbContext db, IServiceProvider services, CancellationToken cancellationToken)
    {
        var plans = Plans();
        var codes = plans.Select(p => p.Code).ToList();
        var present = await db.Plans.Where(p => codes.Contains(p.Code)).Select(p => p.Code).ToListAsync(cancellationToken);

        var missing = plans.Where(p => !present.Contains(p.Code)).ToList();
        if (missing.Count > 0)
        {
            db.Plans.AddRange(missing);
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private static List<Plan> Plans() =>
    [
        new()
        {
            Code = FreeCode,
            Name = "Free",
            Audience = PlanAudience.Individual,
            PriceMinor = 0,
            MonthlySessionAllowance = 3,
        },
        new()
        {
            Code = IndividualMonthlyCode,
            Name = "Individual",
            Audience = PlanAudience.Individual,
            PriceMinor = 1900,
            MonthlySessionAllowance = null,
        },
        new()
        {
            Code = InstitutionSeatCode,
            Name = "Institution",
            Audience = PlanAudience.Institution,
            PriceMinor = 1200,
            MonthlySessionAllowance = null,
            PricedPerSeat = true,
        },
    ];
}
