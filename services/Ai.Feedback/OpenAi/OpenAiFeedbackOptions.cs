namespace PracticePlatform.Ai.Feedback.OpenAi;

/// <summary>An OpenAI-compatible chat completions endpoint for feedback (bound from <c>Ai:OpenAI</c> by the ai service).</summary>
public sealed record OpenAiFeedbackOptions
{
    public const string SectionName = "Ai:OpenAI";

    /// <summary>Base URL of the API, e.g. <c>https://api.openai.com/v1</c> or <c>http://localhost:11434/v1</c>.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Optional for local endpoints that ignore it.</summary>
    public string? ApiKey { get; set; }

    public string? Model { get; set; }

    /// <summary>The whole call, after which the offline engine answers instead.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(90);

    public int MaxOutputTokens { get; set; } = 6000;

    public bool IsConfigured =>
        !string.IsNullOrWhiteSpace(Model) && Uri.TryCreate(Endpoint, UriKind.Absolute, out _);
}
