using System.Globalization;

namespace PracticePlatform.Billing.Infrastructure;

/// <summary>Calendar arithmetic, all in UTC: the free tier's calendar months and subscriptions' monthly periods.</summary>
public static class BillingPeriods
{
    public static DateTimeOffset MonthStart(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
    }

    public static DateTimeOffset NextMonthStart(DateTimeOffset at) => MonthStart(at).AddMonths(1);

    /// <summary>The end of the monthly period that starts at <paramref name="periodStart"/>: the first whole number of
    /// months after <paramref name="anchor"/> past the start, so a period anchored on the 31st ends on the 28th in
    /// February and on the 31st again in March.</summary>
    public static DateTimeOffset NextPeriodEnd(DateTimeOffset anchor, DateTimeOffset periodStart)
    {
        for (var months = 1; months < 12 * 200; months++)
        {
            var end = anchor.AddMonths(months);
            if (end > periodStart)
            {
                return end;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(periodStart), "The period starts too long after its anchor.");
    }

    /// <summary>"1 December".</summary>
    public static string DayAndMonth(DateTimeOffset at) => at.ToUniversalTime().ToString("d MMMM", CultureInfo.InvariantCulture);
}

/// <summary>One prorated line: a credit (negative) for the unused time of what was bought, or a charge for the rest of
/// the period at the new quantity or price.</summary>
public sealed record ProrationLine(string Description, int Quantity, long UnitAmountMinor, long AmountMinor, int DaysRemaining, int DaysInPeriod);

/// <summary>
/// Proration to the day: changing at <c>changeAt</c> within [start, end) credits the old quantity × price for the days
/// left (from the change's day to the end's day) and charges the new quantity × price for the same days; each line is
/// rounded to the minor unit, half away from zero.
/// </summary>
public static class Proration
{
    public static IReadOnlyList<ProrationLine> Lines(
        string oldName, long oldUnitMinor, int oldQuantity,
        string newName, long newUnitMinor, int newQuantity,
        DateTimeOffset periodStart, DateTimeOffset periodEnd, DateTimeOffset changeAt)
    {
        var days = DaysBetween(periodStart, periodEnd);
        var remaining = Math.Clamp(DaysBetween(changeAt, periodEnd), 0, days);
        if (days == 0 || remaining == 0)
        {
            return [];
        }

        var credit = -Share(oldUnitMinor * oldQuantity, remaining, days);
        var charge = Share(newUnitMinor * newQuantity, remaining, days);
        var until = BillingPeriods.DayAndMonth(periodEnd);
        return
        [
            new($"Unused time on {oldQuantity} × {oldName} ({remaining} of {days} days, until {until})", oldQuantity, oldUnitMinor, credit, remaining, days),
            new($"Remaining time on {newQuantity} × {newName} ({remaining} of {days} days, until {until})", newQuantity, newUnitMinor, charge, remaining, days),
        ];
    }

    /// <summary>Whole UTC days from one date to another (times of day ignored).</summary>
    public static int DaysBetween(DateTimeOffset from, DateTimeOffset to) =>
        (int)(to.UtcDateTime.Date - from.UtcDateTime.Date).TotalDays;

    private static long Share(long amountMinor, int remaining, int days) =>
        (long)Math.Round(amountMinor * (decimal)remaining / days, MidpointRounding.AwayFromZero);
}
