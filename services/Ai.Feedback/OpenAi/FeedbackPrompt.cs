using System.Globalization;
using System.Text;

namespace PracticePlatform.Ai.Feedback.OpenAi;

/// <summary>
/// What the model is told: the rubric with the raters' borderline readings, the scenario's content items, the output
/// contract as JSON, and the numbered transcript. The version is stamped on every report it produces.
/// </summary>
internal static class FeedbackPrompt
{
    public const string Version = "feedback-prompt/1";

    public static string Instructions(FeedbackScenario scenario)
    {
        var text = new StringBuilder();
        text.AppendLine("You assess a transcript of a healthcare learner (the clinician) talking with a simulated patient, against an observable communication rubric.");
        text.AppendLine("An item is present when at least one clinician turn performs it; its evidence is those clinician turns, each with a verbatim quote (an exact substring of that turn's text: the sentence or sentences that do it).");
        text.AppendLine("Ignore disfluencies (um, uh, er) and transcription tags such as [inaudible].");
        text.AppendLine();
        text.AppendLine($"Rubric {ConsultationRubric.Version}:");
        foreach (var item in ConsultationRubric.Items)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {item.Code} ({item.Title}): present when a clinician turn {Lower(item.Definition)}");
        }

        text.AppendLine();
        text.AppendLine("Borderline readings:");
        text.AppendLine("- open_opening: a closed check of the booked reason as the first question about the problem makes it absent unless an open prompt follows at once; a social \"How are you?\" is not the opening question.");
        text.AppendLine("- ideas: questions about triggers or exposures do not count; asking for the patient's own view of the cause does.");
        text.AppendLine("- impact: questions that grade a symptom (stairs for breathlessness, appetite) do not count; work, sleep, exercise, daily activities or coping do.");
        text.AppendLine("- empathy: plain reassurance (\"nothing to worry about\") does not count; naming or validating feelings, or a supportive commitment, does.");
        text.AppendLine("- summary: history restated only as the premise of an explanation does not count; a recap offered to the patient of about three points does.");
        text.AppendLine("- check_understanding vs shared_decision: a bare tag (\"..., OK?\") is neither; \"Does that make sense?\" checks understanding; \"How does that sound?\", \"Is that OK with you?\" or laying out options is shared_decision.");
        text.AppendLine("- follow_up: a specific medicine, test, referral or booked review counts; \"come back if it isn't better\" alone is safety_net, not follow_up.");
        if (scenario.ContentItems.Count > 0)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"Scenario \"{scenario.Title}\" content items (present when the clinician covers them; evidence as above):");
            foreach (var item in scenario.ContentItems)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {item.Code}: {item.Description}");
            }

            if (scenario.HiddenFacts.Count > 0)
            {
                text.AppendLine("Facts the patient only reveals when asked (a content item about one is present when the clinician's question drew it out):");
                foreach (var fact in scenario.HiddenFacts)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"- {fact.Code}: {fact.Fact} (asked about: {string.Join("; ", fact.Triggers)})");
                }
            }
        }

        text.AppendLine();
        text.AppendLine("Answer with one JSON object and nothing else:");
        text.AppendLine("{\"items\":[{\"code\":\"greeting\",\"present\":true,\"evidence\":[{\"turn\":0,\"quote\":\"Hello, good morning.\"}],"
                        + "\"missedOpportunity\":null,\"suggestion\":null}],\"globalRating\":3,\"strengths\":[\"...\"],\"goals\":[\"...\"]}");
        text.AppendLine("- items: every rubric code above, then every scenario content item code, once each.");
        text.AppendLine("- missedOpportunity: {\"turn\": a patient turn, \"cue\": the patient's exact words, \"note\": what could have been taken up} when the patient offered a cue for this item that the clinician did not take up, else null.");
        text.AppendLine("- suggestion: a short, natural phrasing the learner could try next time, adapted to this consultation, or null when there is nothing to add.");
        text.AppendLine("- globalRating: 1 (poor) to 5 (excellent). strengths: 1 to 3 short sentences. goals: the top 2 or 3 things to work on, as short sentences.");
        return text.ToString();
    }

    public static string Transcript(ConsultationTranscript transcript)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Transcript {transcript.Id}, one turn a line as [turn] speaker: text");
        foreach (var turn in transcript.Turns)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"[{turn.Index}] {turn.Speaker}: {turn.Text}");
        }

        return text.ToString();
    }

    private static string Lower(string definition) =>
        definition.Length == 0 ? definition : char.ToLowerInvariant(definition[0]) + definition[1..];
}
