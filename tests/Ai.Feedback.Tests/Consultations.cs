namespace PracticePlatform.Ai.Feedback.Tests;

/// <summary>Short hand-written consultations: alternate lines are clinician then patient unless a line says otherwise.</summary>
internal static class Consultations
{
    /// <summary>Lines starting "C:" are the clinician's, "P:" the patient's.</summary>
    public static ConsultationTranscript Of(params string[] lines) =>
        new("test", lines.Select((line, i) => new ConsultationTurn(
            i,
            line.StartsWith("P:", StringComparison.Ordinal) ? ConsultationTurn.Patient : ConsultationTurn.Clinician,
            line[2..].TrimStart())).ToList());

    public static FeedbackAssessment Assess(ConsultationTranscript transcript, FeedbackScenario? scenario = null) =>
        Offline.OfflineFeedbackEngine.Assess(new FeedbackRequest(transcript, scenario ?? FeedbackScenario.None));

    public static ItemAssessment Item(this FeedbackAssessment assessment, string code) => assessment.Items.Single(i => i.Code == code);

    /// <summary>A clinician turn in the middle of a longer consultation, where plans and explanations sit.</summary>
    public static ConsultationTranscript Late(params string[] clinicianLines)
    {
        var lines = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            lines.Add("C: And when did it start?");
            lines.Add("P: A few days ago.");
        }

        foreach (var line in clinicianLines)
        {
            lines.Add(line.StartsWith("P:", StringComparison.Ordinal) || line.StartsWith("C:", StringComparison.Ordinal) ? line : "C: " + line);
        }

        return Of([.. lines]);
    }
}
