namespace PracticePlatform.Ai.Patient.OpenAi;

/// <summary>
/// Configuration section <c>Ai:OpenAI</c>: an OpenAI-compatible chat completions endpoint that plays the simulated
/// patient. When <see cref="Endpoint"/> and <see cref="Model"/> are both set the model-backed engine answers (with the
/// offline engine as its fallback); otherwise the offline engine alone does.
/// </summary>
public sealed class OpenAiPatientOptions
{
    public const string SectionName = "Ai:OpenAI";

    /// <summary>The API base URL, up to and including the version segment, e.g. <c>https://api.openai.com/v1</c> or
    /// <c>http://localhost:11434/v1</c> (Ollama); <c>chat/completions</c> is appended.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Sent as a bearer token. Local endpoints usually need none; a placeholder is sent then.</summary>
    public string? ApiKey { get; set; }

    public string? Model { get; set; }

    public float Temperature { get; set; } = 0.7f;

    public int MaxOutputTokens { get; set; } = 200;

    /// <summary>The whole call's deadline, first token to last (configured as <c>00:00:20</c> or as seconds,
    /// <c>20</c>).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Endpoint) && !string.IsNullOrWhiteSpace(Model);
}
