using System.Diagnostics;
using System.Globalization;
using PracticePlatform.Ai.Feedback;
using PracticePlatform.Ai.Feedback.Offline;

namespace PracticePlatform.Benchmarks;

/// <summary>
/// The offline feedback engine's scoring time: every transcript of the development set (../shared/evaluation/transcripts,
/// or --transcripts DIR) scored many times in this process after a warm-up, each call timed on its own. Prints the
/// p50/p99 per transcript scored, over all calls and per transcript. Figures, not assertions.
/// </summary>
public static class FeedbackScoringBenchmark
{
    public static Task<int> RunAsync(string[] args)
    {
        var rounds = EventBusBenchmark.Option(args, "--rounds", 200);
        var folder = OptionText(args, "--transcripts")
                     ?? Path.GetFullPath(Path.Combine(BenchmarkSupport.FindRepositoryRoot(), "..", "shared", "evaluation", "transcripts"));
        if (!Directory.Exists(folder))
        {
            Console.Error.WriteLine($"No transcripts folder at {folder} (use --transcripts DIR).");
            return Task.FromResult(1);
        }

        var transcripts = Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal).Select(ConsultationTranscriptFile.Load).ToList();
        if (transcripts.Count == 0)
        {
            Console.Error.WriteLine($"No *.json transcripts in {folder}.");
            return Task.FromResult(1);
        }

        Console.WriteLine($"{transcripts.Count} transcript(s) from {folder}; {transcripts.Sum(t => t.Turns.Count)} turns in all; " +
                          $"warm-up 10 rounds, then {rounds} rounds; each call timed on its own");
        for (var round = 0; round < 10; round++)
        {
            foreach (var transcript in transcripts)
            {
                Score(transcript);
            }
        }

        var perTranscript = transcripts.ToDictionary(t => t.Id, _ => new List<long>(rounds));
        var all = new List<long>(rounds * transcripts.Count);
        var started = Stopwatch.GetTimestamp();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var transcript in transcripts)
            {
                var before = Stopwatch.GetTimestamp();
                Score(transcript);
                var elapsed = Stopwatch.GetTimestamp() - before;
                perTranscript[transcript.Id].Add(elapsed);
                all.Add(elapsed);
            }
        }

        var wall = Stopwatch.GetElapsedTime(started);
        Console.WriteLine();
        Console.WriteLine($"  {"transcript",-24} {"turns",6} {"p50 ms",8} {"p99 ms",8}");
        foreach (var transcript in transcripts)
        {
            var times = perTranscript[transcript.Id];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {transcript.Id,-24} {transcript.Turns.Count,6} {Percentile(times, 50),8:F3} {Percentile(times, 99),8:F3}"));
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"feedback-scoring: {all.Count} scorings in {wall.TotalSeconds:F2} s ({all.Count / wall.TotalSeconds:F0}/s on one thread); " +
            $"per transcript p50 {Percentile(all, 50):F3} ms, p99 {Percentile(all, 99):F3} ms, max {Percentile(all, 100):F3} ms"));
        return Task.FromResult(0);
    }

    private static void Score(ConsultationTranscript transcript) =>
        OfflineFeedbackEngine.Assess(new FeedbackRequest(transcript, FeedbackScenario.None));

    /// <summary>Nearest-rank percentile in milliseconds.</summary>
    private static double Percentile(List<long> ticks, double p)
    {
        var sorted = ticks.Order().ToArray();
        var index = (int)Math.Clamp(Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1);
        return sorted[index] * 1000.0 / Stopwatch.Frequency;
    }

    private static string? OptionText(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
