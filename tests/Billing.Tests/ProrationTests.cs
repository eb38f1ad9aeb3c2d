using PracticePlatform.Billing.Infrastructure;

namespace PracticePlatform.Billing.Tests;

/// <summary>Proration arithmetic with fixed dates: to the day, each line rounded half away from zero.</summary>
public sealed class ProrationTests
{
    private static DateTimeOffset Utc(int year, int month, int day, int hour = 0, int minute = 0) =>
        new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void Adding_five_seats_halfway_through_a_30_day_period_credits_half_the_old_seats_and_charges_half_the_new()
    {
        var lines = Proration.Lines("Institution", 1200, 10, "Institution", 1200, 15, Utc(2026, 11, 24), Utc(2026, 12, 24), Utc(2026, 12, 9));

        lines.Select(l => l.AmountMinor).Should().Equal(-6000, 9000);
        lines.Should().OnlyContain(l => l.DaysRemaining == 15 && l.DaysInPeriod == 30);
        lines.Sum(l => l.AmountMinor).Should().Be(3000);
    }

    [Fact]
    public void A_plan_change_with_ten_days_left_rounds_each_line_to_the_cent()
    {
        var lines = Proration.Lines("Individual", 1900, 1, "Individual Plus", 2900, 1, Utc(2026, 11, 1), Utc(2026, 12, 1), Utc(2026, 11, 21));

        // 1900 × 10/30 = 633.33 and 2900 × 10/30 = 966.67.
        lines.Select(l => l.AmountMinor).Should().Equal(-633, 967);
    }

    [Fact]
    public void The_time_of_day_of_the_change_does_not_matter()
    {
        var morning = Proration.Lines("A", 1000, 1, "B", 2000, 1, Utc(2026, 11, 1), Utc(2026, 12, 1), Utc(2026, 11, 16, 0, 1));
        var night = Proration.Lines("A", 1000, 1, "B", 2000, 1, Utc(2026, 11, 1), Utc(2026, 12, 1), Utc(2026, 11, 16, 23, 59));

        night.Select(l => l.AmountMinor).Should().Equal(morning.Select(l => l.AmountMinor));
        morning.Select(l => l.AmountMinor).Should().Equal(-500, 1000);
    }

    [Fact]
    public void A_change_on_the_first_day_credits_and_charges_the_whole_period()
    {
        var lines = Proration.Lines("Institution", 1200, 10, "Institution", 1200, 12, Utc(2026, 11, 1), Utc(2026, 12, 1), Utc(2026, 11, 1, 15));

        lines.Select(l => l.AmountMinor).Should().Equal(-12000, 14400);
    }

    [Fact]
    public void A_change_at_the_end_of_the_period_prorates_nothing()
    {
        Proration.Lines("A", 1000, 1, "B", 2000, 1, Utc(2026, 11, 1), Utc(2026, 12, 1), Utc(2026, 12, 1)).Should().BeEmpty();
    }

    [Fact]
    public void February_has_28_days_so_half_of_it_is_14()
    {
        var lines = Proration.Lines("Institution", 1200, 4, "Institution", 1200, 2, Utc(2027, 2, 1), Utc(2027, 3, 1), Utc(2027, 2, 15));

        lines.Select(l => l.AmountMinor).Should().Equal(-2400, 1200);
        lines[0].DaysInPeriod.Should().Be(28);
    }

    [Fact]
    public void Periods_anchored_on_the_31st_end_on_the_last_day_of_short_months_without_drifting()
    {
        var anchor = Utc(2027, 1, 31, 10);

        var february = BillingPeriods.NextPeriodEnd(anchor, anchor);
        var march = BillingPeriods.NextPeriodEnd(anchor, february);

        february.Should().Be(Utc(2027, 2, 28, 10));
        march.Should().Be(Utc(2027, 3, 31, 10));
    }

    [Fact]
    public void Tax_is_applied_to_the_subtotal_and_rounded_half_away_from_zero()
    {
        var invoice = new Model.Invoice();
        invoice.AddLine(new Model.InvoiceLine { Description = "fee", AmountMinor = 1900 });
        invoice.AddLine(new Model.InvoiceLine { Description = "credit", AmountMinor = -633 });

        invoice.Recalculate(7.5m);

        invoice.SubtotalMinor.Should().Be(1267);
        invoice.TaxMinor.Should().Be(95); // 95.025
        invoice.TotalMinor.Should().Be(1362);
    }

    [Fact]
    public void The_free_month_renews_on_the_first_of_the_next_month()
    {
        BillingPeriods.NextMonthStart(Utc(2026, 11, 30, 23, 59)).Should().Be(Utc(2026, 12, 1));
        BillingPeriods.DayAndMonth(Utc(2026, 12, 1)).Should().Be("1 December");
    }
}
