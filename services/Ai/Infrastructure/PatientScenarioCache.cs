using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using PracticePlatform.Ai.Patient;

namespace PracticePlatform.Ai.Infrastructure;

/// <summary>A scenario version parsed for the patient, with its owner.</summary>
public sealed record CachedPatientScenario(Guid? InstitutionId, PatientScenario Scenario);

/// <summary>
/// Parsed scenario versions, kept in memory: a version never changes, so once parsed it serves every later turn of
/// every session on it without touching the database. Unknown versions are not remembered (they may arrive any
/// moment from the ScenarioPublished event).
/// </summary>
public sealed class PatientScenarioCache(IServiceScopeFactory scopes, IMemoryCache memory)
{
    public async Task<CachedPatientScenario?> FindAsync(Guid scenarioId, int version, CancellationToken cancellationToken)
    {
        var key = (typeof(PatientScenarioCache), scenarioId, version);
        if (memory.TryGetValue(key, out CachedPatientScenario? cached))
        {
            return cached;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AiDbContext>();
        var snapshot = await db.ScenarioSnapshots.AsNoTracking()
            .Where(s => s.ScenarioId == scenarioId && s.Version == version)
            .Select(s => new { s.InstitutionId, s.Document })
            .SingleOrDefaultAsync(cancellationToken);
        if (snapshot is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(snapshot.Document);
        var parsed = new CachedPatientScenario(snapshot.InstitutionId, PatientScenario.Parse(document.RootElement));
        memory.Set(key, parsed, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromHours(1) });
        return parsed;
    }
}
