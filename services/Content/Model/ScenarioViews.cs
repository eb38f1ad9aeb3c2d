using System.Text.Json.Serialization;

namespace PracticePlatform.Content.Model;

public sealed record RatingSummary(double? Average, int Count);

/// <summary>One scenario in the catalogue listing.</summary>
public sealed record ScenarioSummary(
    Guid Id,
    string Title,
    string ClinicalArea,
    Difficulty Difficulty,
    string Framework,
    string Summary,
    int Version,
    int EstimatedMinutes,
    string Setting,
    IReadOnlyList<string> Tags,
    Guid? InstitutionId,
    RatingSummary Rating,
    DateTimeOffset PublishedAt);

public sealed record ScenarioPage(IReadOnlyList<ScenarioSummary> Items, int Total, int Page, int PageSize);

/// <summary>
/// A published version as the caller may see it. <see cref="View"/> says which: "learner" (the brief: no hidden facts,
/// no patient script, no scenario-specific rubric items, which would give the facts away) or "full" for staff.
/// </summary>
public sealed record ScenarioDetails(
    Guid Id,
    int Version,
    int LatestVersion,
    string View,
    string Slug,
    Guid? InstitutionId,
    string Title,
    string Summary,
    string ClinicalArea,
    string ClinicalAreaName,
    string Setting,
    Difficulty Difficulty,
    string Framework,
    string FrameworkName,
    int EstimatedMinutes,
    IReadOnlyList<string> LearningObjectives,
    IReadOnlyList<string> Tags,
    PersonaView Persona,
    FlowSummary Flow,
    RubricView Rubric,
    IReadOnlyList<MediaView> Media,
    RatingSummary Rating,
    DateTimeOffset PublishedAt)
{
    public const string LearnerView = "learner";
    public const string FullView = "full";

    public static ScenarioDetails From(ScenarioVersion version, int latestVersion, RatingSummary rating, IReadOnlyList<MediaView> media, bool full)
    {
        var document = version.Document;
        var persona = document.Persona;
        return new ScenarioDetails(
            version.ScenarioId,
            version.Version,
            latestVersion,
            full ? FullView : LearnerView,
            version.Slug,
            version.InstitutionId,
            document.Title,
            document.Summary,
            document.ClinicalArea,
            ClinicalAreas.NameOf(document.ClinicalArea),
            document.Setting,
            document.Difficulty,
            document.Framework,
            CommunicationFrameworks.NameOf(document.Framework),
            document.EstimatedMinutes,
            document.LearningObjectives,
            document.Tags,
            new PersonaView(
                persona.Name, persona.Age, persona.Gender, persona.Occupation, persona.Background, persona.PresentingComplaint,
                persona.PreferredLanguage, persona.EnglishProficiency,
                full ? persona.History : null,
                full ? persona.Medications : null,
                full ? persona.Allergies : null,
                full ? persona.SocialHistory : null,
                full ? persona.FamilyHistory : null,
                full ? persona.Personality : null,
                full ? persona.EmotionalState : null,
                full ? persona.HiddenFacts : null,
                full ? persona.Phrases : null),
            new FlowSummary(
                full ? document.Flow.OpeningLine : null,
                [.. document.Flow.Topics.Select(t => new FlowTopicSummary(t.Code, t.Description, full ? t.ExamplePhrasings : null))],
                full ? document.Flow.Branches : null),
            new RubricView(
                ConsultationEssentials.Name,
                ConsultationEssentials.Items,
                document.ContentItems.Count,
                full ? document.ContentItems : null,
                document.EffectiveFocusItems),
            media,
            rating,
            version.PublishedAt);
    }
}

/// <summary>The patient. Learners get who the patient is and why they came; staff also get the rest, hidden facts
/// included. Members a learner does not get are left out of the JSON.</summary>
public sealed record PersonaView(
    string Name,
    int Age,
    string Gender,
    string Occupation,
    string Background,
    string PresentingComplaint,
    string PreferredLanguage,
    string EnglishProficiency,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? History,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<MedicationDocument>? Medications,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Allergies,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SocialHistory,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? FamilyHistory,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Personality,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] EmotionalStateDocument? EmotionalState,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<HiddenFactDocument>? HiddenFacts,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Phrases);

/// <summary>The topics a learner is expected to cover; staff also see the opening line, example phrasings and the
/// branches that change the patient's state.</summary>
public sealed record FlowSummary(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? OpeningLine,
    IReadOnlyList<FlowTopicSummary> Topics,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<FlowBranchDocument>? Branches);

public sealed record FlowTopicSummary(
    string Code,
    string Description,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? ExamplePhrasings);

/// <summary>The rubric a session on this scenario is scored against: the consultation essentials plus the scenario's
/// own content items (listed for staff; counted for learners, whose report names them after the session).</summary>
public sealed record RubricView(
    string Name,
    IReadOnlyList<RubricItemDocument> Essentials,
    int ContentItemCount,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<RubricItemDocument>? ContentItems,
    IReadOnlyList<string> FocusItems);

public sealed record MediaView(Guid Id, string AttachedTo, string Kind, string ContentType, long Length, string OriginalName, string? Description, string Url, DateTimeOffset UploadedAt)
{
    public static MediaView From(MediaFile media) => new(
        media.Id,
        media.AttachedTo.ToString().ToLowerInvariant(),
        media.Kind.ToString().ToLowerInvariant(),
        media.ContentType,
        media.Length,
        media.OriginalName,
        media.Description,
        $"/v1/content/media/{media.Id}",
        media.UploadedAt);
}

/// <summary>A published version in a scenario's history.</summary>
public sealed record ScenarioVersionSummary(int Version, string Title, DateTimeOffset PublishedAt, Guid? PublishedBy, bool IsLatest);

/// <summary>A scenario as its authors see it: the draft (if any) and where publishing stands.</summary>
public sealed record ScenarioDraftView(
    Guid Id,
    string Slug,
    Guid? InstitutionId,
    int LatestVersion,
    int DraftRevision,
    DateTimeOffset? DraftUpdatedAt,
    Guid? DraftUpdatedBy,
    ScenarioDocument Document)
{
    /// <summary>Sent as the ETag header; If-Match takes it back.</summary>
    [JsonIgnore]
    public string ETag => $"\"{DraftRevision}\"";

    public static ScenarioDraftView From(Scenario scenario) => new(
        scenario.Id, scenario.Slug, scenario.InstitutionId, scenario.LatestVersion, scenario.DraftRevision,
        scenario.DraftUpdatedAt, scenario.DraftUpdatedBy, scenario.Draft!);
}

public sealed record RateScenarioRequest(int Stars);

public sealed record ScenarioRatingView(Guid ScenarioId, int YourStars, RatingSummary Rating);

public sealed record Recommendation(ScenarioSummary Scenario, string Reason, IReadOnlyList<string> Exercises);

public sealed record RecommendationList(string Basis, IReadOnlyList<Recommendation> Items);

public sealed record NamedCode(string Code, string Name);
