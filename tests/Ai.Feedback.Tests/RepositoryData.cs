namespace PracticePlatform.Ai.Feedback.Tests;

/// <summary>The development set beside the repository: ../shared/evaluation from the directory holding PracticePlatform.sln.</summary>
internal static class RepositoryData
{
    public static string EvaluationDirectory
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "PracticePlatform.sln")))
                {
                    return Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "evaluation"));
                }
            }

            throw new InvalidOperationException("No PracticePlatform.sln above the test's build output.");
        }
    }

    public static IReadOnlyList<ConsultationTranscript> Transcripts() =>
        Directory.GetFiles(Path.Combine(EvaluationDirectory, "transcripts"), "*.json")
            .Order(StringComparer.Ordinal)
            .Select(ConsultationTranscriptFile.Load)
            .ToList();
}
