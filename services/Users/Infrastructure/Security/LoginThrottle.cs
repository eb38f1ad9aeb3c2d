using System.Globalization;
using Microsoft.Extensions.Options;
using PracticePlatform.Redis;

namespace PracticePlatform.Users.Infrastructure.Security;

/// <summary>The "LoginThrottling" section.</summary>
public sealed class LoginThrottlingSettings
{
    public const string SectionName = "LoginThrottling";

    /// <summary>Failed logins on one account, within <see cref="FailureWindow"/>, that lock it.</summary>
    public int MaxFailedAttempts { get; set; } = 5;

    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Login attempts from one address, of any account, within <see cref="AddressWindow"/>.</summary>
    public int MaxAttemptsPerAddress { get; set; } = 30;

    public TimeSpan AddressWindow { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Why a login may not even be tried, and until when.</summary>
public sealed record LoginRefusal(string Reason, TimeSpan RetryAfter);

/// <summary>
/// Login rate limits and lockout in Redis, so every replica shares them. Keys are per account (the normalised
/// e-mail, whether or not such an account exists, so a lockout reveals nothing) and per client address; each
/// counter is one atomic script (increment, set the window's expiry on the first hit).
/// </summary>
public sealed class LoginThrottle(RedisClient redis, IOptions<LoginThrottlingSettings> options)
{
    private static readonly RedisScript CountInWindow = new("""
        local count = redis.call('INCR', KEYS[1])
        if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        if tonumber(ARGV[2]) > 0 and count == tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        return {count, redis.call('PTTL', KEYS[1])}
        """);

    private LoginThrottlingSettings Settings => options.Value;

    /// <summary>Counts this attempt against the address; refuses when the address is over its limit or the account is
    /// locked.</summary>
    public async Task<LoginRefusal?> CheckAsync(string normalizedEmail, string? address, CancellationToken cancellationToken)
    {
        var failures = await redis.GetAsync(AccountKey(normalizedEmail), cancellationToken);
        if (failures is not null && int.Parse(failures, CultureInfo.InvariantCulture) >= Settings.MaxFailedAttempts)
        {
            var ttl = await redis.TimeToLiveAsync(AccountKey(normalizedEmail), cancellationToken) ?? Settings.LockoutDuration;
            return new LoginRefusal("Too many failed logins for this account; it is locked for a while.", ttl);
        }

        var (count, ttlMs) = await CountAsync(AddressKey(address), Settings.AddressWindow, TimeSpan.Zero, 0, cancellationToken);
        return count > Settings.MaxAttemptsPerAddress
            ? new LoginRefusal("Too many login attempts from this address.", TimeSpan.FromMilliseconds(Math.Max(ttlMs, 0)))
            : null;
    }

    /// <summary>Returns true when this failure locked the account.</summary>
    public async Task<bool> RecordFailureAsync(string normalizedEmail, CancellationToken cancellationToken)
    {
        var (count, _) = await CountAsync(AccountKey(normalizedEmail), Settings.FailureWindow, Settings.LockoutDuration, Settings.MaxFailedAttempts, cancellationToken);
        return count == Settings.MaxFailedAttempts;
    }

    public Task RecordSuccessAsync(string normalizedEmail, CancellationToken cancellationToken) =>
        redis.DeleteAsync(AccountKey(normalizedEmail), cancellationToken);

    private async Task<(long Count, long TtlMs)> CountAsync(string key, TimeSpan window, TimeSpan extendTo, int extendAt, CancellationToken cancellationToken)
    {
        var reply = await redis.EvaluateAsync(
            CountInWindow,
            [key],
            [Milliseconds(window), Milliseconds(extendTo), extendAt.ToString(CultureInfo.InvariantCulture)],
            cancellationToken);
        return (reply.Items[0].AsInt64(), reply.Items[1].AsInt64());
    }

    private static string Milliseconds(TimeSpan span) => ((long)span.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);

    private static string AccountKey(string normalizedEmail) => $"users:login-failures:{normalizedEmail}";

    private static string AddressKey(string? address) => $"users:login-attempts:{address ?? "unknown"}";
}
