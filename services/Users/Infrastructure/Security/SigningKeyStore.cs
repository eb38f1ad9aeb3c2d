using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using PracticePlatform.Users.Model;

namespace PracticePlatform.Users.Infrastructure.Security;

/// <summary>The key that signs now, and every key a service may meet in a token that has not expired.</summary>
public sealed class SigningKeySet(SigningKey current, RSA currentKey, IReadOnlyList<(SigningKey Key, RSA Public)> published)
{
    public SigningKey Current { get; } = current;

    public RsaSecurityKey SigningSecurityKey { get; } = new(currentKey) { KeyId = current.Id };

    public IReadOnlyList<RsaSecurityKey> PublishedKeys { get; } = published.Select(k => new RsaSecurityKey(k.Public) { KeyId = k.Key.Id }).ToList();
}

/// <summary>
/// Keeps the signing keys in the users database: makes the first one, rotates on schedule (publish first, sign
/// later, retire once every token the old key signed has expired), and caches the set for a minute so signing
/// costs no query. Replicas agree through a transaction-scoped advisory lock when they create a key.
/// </summary>
public sealed partial class SigningKeyStore(
    IServiceScopeFactory scopeFactory,
    IOptions<TokenSettings> settings,
    TimeProvider time,
    ILogger<SigningKeyStore> logger) : IDisposable
{
    private const long RotationLockId = 0x5050_5553_4B45_5953; // "PPUSKEYS"
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _loading = new(1, 1);
    private (SigningKeySet Set, DateTimeOffset LoadedAt)? _cached;

    private TokenSettings Settings => settings.Value;

    public async Task<SigningKeySet> GetAsync(CancellationToken cancellationToken = default)
    {
        if (_cached is { } cached && time.GetUtcNow() - cached.LoadedAt < CacheFor)
        {
            return cached.Set;
        }

        await _loading.WaitAsync(cancellationToken);
        try
        {
            var set = await LoadAsync(createIfMissing: true, cancellationToken);
            _cached = (set, time.GetUtcNow());
            return set;
        }
        finally
        {
            _loading.Release();
        }
    }

    public void Dispose() => _loading.Dispose();

    /// <summary>Forgets the cached set, so the next call reads the database (after a rotation elsewhere).</summary>
    public void Invalidate() => _cached = null;

    /// <summary>Makes a new key when the newest is older than <see cref="TokenSettings.KeyRotationInterval"/>, or
    /// at once when <paramref name="force"/>; true when it made one.</summary>
    public async Task<bool> RotateAsync(bool force, CancellationToken cancellationToken = default)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UsersDbContext>();
        var rotated = await db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({RotationLockId})", token);
            var now = time.GetUtcNow();
            var newest = await db.SigningKeys.OrderByDescending(k => k.CreatedAt).FirstOrDefaultAsync(token);
            if (newest is not null && !force && now - newest.CreatedAt < Settings.KeyRotationInterval)
            {
                return false;
            }

            // The first key signs at once; a successor waits until every service's key cache can know it.
            var activatesAt = newest is null ? now : now + Settings.KeyPublishLead;
            var retireOthersAt = activatesAt + Settings.AccessTokenLifetime + TimeSpan.FromMinutes(1);
            foreach (var key in await db.SigningKeys.Where(k => k.RetiresAt == null || k.RetiresAt > retireOthersAt).ToListAsync(token))
            {
                key.RetiresAt = retireOthersAt;
            }

            db.SigningKeys.Add(CreateKey(now, activatesAt));
            await db.SaveChangesAsync(token);
            await transaction.CommitAsync(token);
            return true;
        }, cancellationToken);

        if (rotated)
        {
            Invalidate();
            LogRotated(logger);
        }

        return rotated;
    }

    private async Task<SigningKeySet> LoadAsync(bool createIfMissing, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UsersDbContext>();
        var now = time.GetUtcNow();
        var keys = await db.SigningKeys.AsNoTracking()
            .Where(k => k.RetiresAt == null || k.RetiresAt > now)
            .OrderByDescending(k => k.ActivatesAt)
            .ToListAsync(cancellationToken);
        var current = keys.FirstOrDefault(k => k.ActivatesAt <= now);
        if (current is null)
        {
            if (!createIfMissing)
            {
                throw new InvalidOperationException("There is no signing key.");
            }

            await RotateAsync(force: keys.Count == 0, cancellationToken);
            return await LoadAsync(createIfMissing: false, cancellationToken);
        }

        var published = keys.Select(k => (k, ImportPublic(k.PublicKey))).ToList();
        return new SigningKeySet(current, ImportPrivate(current), published);
    }

    private SigningKey CreateKey(DateTimeOffset now, DateTimeOffset activatesAt)
    {
        using var rsa = RSA.Create(2048);
        return new SigningKey
        {
            Id = $"{now:yyyyMMdd}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}",
            PublicKey = rsa.ExportSubjectPublicKeyInfo(),
            EncryptedPrivateKey = Protect(rsa.ExportPkcs8PrivateKey()),
            CreatedAt = now,
            ActivatesAt = activatesAt,
        };
    }

    private static RSA ImportPublic(byte[] subjectPublicKeyInfo)
    {
        var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
        return rsa;
    }

    private RSA ImportPrivate(SigningKey key)
    {
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(Unprotect(key.EncryptedPrivateKey), out _);
        return rsa;
    }

    // nonce (12) | tag (16) | ciphertext
    private byte[] Protect(byte[] plaintext)
    {
        using var aes = new AesGcm(Settings.EncryptionKeyBytes(), AesGcm.TagByteSizes.MaxSize);
        var output = new byte[AesGcm.NonceByteSizes.MaxSize + AesGcm.TagByteSizes.MaxSize + plaintext.Length];
        var nonce = output.AsSpan(0, AesGcm.NonceByteSizes.MaxSize);
        RandomNumberGenerator.Fill(nonce);
        aes.Encrypt(nonce, plaintext, output.AsSpan(nonce.Length + AesGcm.TagByteSizes.MaxSize), output.AsSpan(nonce.Length, AesGcm.TagByteSizes.MaxSize));
        CryptographicOperations.ZeroMemory(plaintext);
        return output;
    }

    private byte[] Unprotect(byte[] protectedKey)
    {
        using var aes = new AesGcm(Settings.EncryptionKeyBytes(), AesGcm.TagByteSizes.MaxSize);
        var nonceLength = AesGcm.NonceByteSizes.MaxSize;
        var tagLength = AesGcm.TagByteSizes.MaxSize;
        var plaintext = new byte[protectedKey.Length - nonceLength - tagLength];
        aes.Decrypt(protectedKey.AsSpan(0, nonceLength), protectedKey.AsSpan(nonceLength + tagLength), protectedKey.AsSpan(nonceLength, tagLength), plaintext);
        return plaintext;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created a new token signing key")]
    private static partial void LogRotated(ILogger logger);
}

/// <summary>Rotates the signing key on schedule; the first call also makes sure a key exists before traffic.</summary>
internal sealed partial class SigningKeyRotation(SigningKeyStore store, ILogger<SigningKeyRotation> logger) : BackgroundService
{
    private static readonly TimeSpan CheckEvery = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckEvery);
        do
        {
            try
            {
                await store.RotateAsync(force: false, stoppingToken);
                store.Invalidate();
                await store.GetAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRotationFailed(logger, ex);
            }
        }
        while (await NextTickAsync(timer, stoppingToken));
    }

    private static async Task<bool> NextTickAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check the token signing keys; trying again later")]
    private static partial void LogRotationFailed(ILogger logger, Exception exception);
}
