using PracticePlatform.Ai.Feedback;
using PracticePlatform.Ai.Feedback.Evaluation;
using PracticePlatform.Ai.Feedback.Offline;

namespace PracticePlatform.Evaluation;

/// <summary>
/// Scores every <c>*.json</c> transcript of a folder with the offline engine and compares it with the label of the same
/// name in the labels folder. A transcript without a label is reported and skipped; a file that cannot be read is
/// reported, skipped and makes the exit code 1 (after the table, so the other figures are still seen).
/// </summary>
internal static class EvaluationRun
{
    public static int Usage(TextWriter error)
    {
        error.WriteLine("usage: ./evaluate.sh TRANSCRIPTS_DIR LABELS_DIR [PREDICTIONS_DIR]");
        error.WriteLine("  scores every *.json transcript with the offline feedback engine against LABELS_DIR/<same name>.json;");
        error.WriteLine("  with PREDICTIONS_DIR, also writes the predicted labels there in the gold label format.");
        return 2;
    }

    public static int Run(string transcripts, string labels, string? predictions, TextWriter output, TextWriter error)
    {
        foreach (var (folder, name) in new[] { (transcripts, "TRANSCRIPTS_DIR"), (labels, "LABELS_DIR") })
        {
            if (!Directory.Exists(folder))
            {
                error.WriteLine($"error: {name} '{folder}' is not a directory");
                return 2;
            }
        }

        if (predictions is not null)
        {
            Directory.CreateDirectory(predictions);
        }

        var files = Directory.GetFiles(transcripts, "*.json").OrderBy(f => f, StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            error.WriteLine($"error: no *.json transcripts in '{transcripts}'");
            return 2;
        }

        var calls = new List<ItemCall>();
        var failed = 0;
        var scored = 0;
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            var labelFile = Path.Combine(labels, name);
            if (!File.Exists(labelFile))
            {
                error.WriteLine($"{name}: no label at {labelFile}, skipped");
                continue;
            }

            ConsultationTranscript transcript;
            ConsultationLabels gold;
            try
            {
                transcript = ConsultationTranscriptFile.Load(file);
                gold = ConsultationLabels.Parse(File.ReadAllText(labelFile));
            }
            catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"error: {name}: {ex.Message}");
                failed++;
                continue;
            }

            var assessment = OfflineFeedbackEngine.Assess(new FeedbackRequest(transcript, FeedbackScenario.None));
            var predicted = ConsultationLabels.From(transcript.Id, assessment);
            calls.AddRange(AgreementMetrics.Compare(gold, predicted));
            if (predictions is not null)
            {
                File.WriteAllText(Path.Combine(predictions, name), predicted.ToJson() + Environment.NewLine);
            }

            scored++;
            error.WriteLine($"{name}: {assessment.Items.Count(i => i.Present)}/{assessment.Items.Count} items present, rating {assessment.GlobalRating}");
        }

        error.WriteLine($"scored {scored} of {files.Count} transcript(s)" + (failed > 0 ? $", {failed} unreadable" : string.Empty));
        if (scored == 0)
        {
            error.WriteLine("error: nothing to compare");
            return 1;
        }

        output.WriteLine(EvaluationReport.Format(AgreementMetrics.Summarise(calls, ConsultationRubric.Codes)));
        return failed > 0 ? 1 : 0;
    }
}
