using System.Text.RegularExpressions;

namespace PracticePlatform.Ai.Feedback.Offline;

/// <summary>
/// Cues the patient offered that the learner could have taken up: a worry or feeling with no empathy or concerns
/// question in the next clinician turn or two, a mention of work, sleep or family when impact is never asked, the
/// patient's own theory when ideas are never explored, and a question of theirs that went unanswered.
/// </summary>
internal static partial class PatientCues
{
    public static IReadOnlyDictionary<string, MissedOpportunity> Find(ConsultationReading reading, IReadOnlyDictionary<string, IReadOnlyList<ItemHit>> hits)
    {
        var missed = new Dictionary<string, MissedOpportunity>(StringComparer.Ordinal);
        var answeredTurns = new HashSet<int>(hits["empathy"].Concat(hits["concerns"]).Select(h => h.Turn));

        foreach (var patient in reading.PatientTurns)
        {
            foreach (var sentence in patient.Sentences)
            {
                var clean = sentence.Clean;
                if (Feeling().IsMatch(clean) && !NotFeeling().IsMatch(clean))
                {
                    var next = reading.ClinicianTurnsAfter(patient).Take(2).ToList();
                    if (next.Count > 0 && !next.Any(t => answeredTurns.Contains(t.Turn.Index)))
                    {
                        var cue = patient.Quote(sentence);
                        missed.TryAdd("empathy", new MissedOpportunity(patient.Turn.Index, cue,
                            "The patient voiced a feeling here; naming it (\"That sounds worrying\") before moving on shows you heard it."));

                        if (hits["concerns"].Count == 0 && Worry().IsMatch(clean))
                        {
                            missed.TryAdd("concerns", new MissedOpportunity(patient.Turn.Index, cue,
                                "The patient mentioned a worry; asking what exactly worries them would have opened up their concerns."));
                        }
                    }
                }

                if (hits["impact"].Count == 0 && LifeMention().IsMatch(clean))
                {
                    missed.TryAdd("impact", new MissedOpportunity(patient.Turn.Index, patient.Quote(sentence),
                        "The patient mentioned how this touches their daily life; asking how it affects work, sleep or family would have explored it."));
                }

                if (hits["ideas"].Count == 0 && OwnTheory().IsMatch(clean))
                {
                    missed.TryAdd("ideas", new MissedOpportunity(patient.Turn.Index, patient.Quote(sentence),
                        "The patient offered their own explanation; asking what they think is going on would have explored their ideas."));
                }

                if (sentence.IsQuestion && Unanswered(reading, patient, sentence))
                {
                    missed.TryAdd("questions_invited", new MissedOpportunity(patient.Turn.Index, patient.Quote(sentence),
                        "The patient asked a question here that the next turn did not answer; answering it, or saying you will come back to it, keeps their agenda in view."));
                }
            }
        }

        return missed;
    }

    /// <summary>A real question (not "can you hear me?") followed by a clinician turn of questions only, sharing none of its words.</summary>
    private static bool Unanswered(ConsultationReading reading, ReadTurn patient, SpokenSentence question)
    {
        if (ConsultationReading.Words(question.Clean).Count < 4 || Housekeeping().IsMatch(question.Clean)
            || !patient.Quote(question).TrimEnd().EndsWith('?'))
        {
            return false;
        }

        var next = reading.ClinicianTurnsAfter(patient).FirstOrDefault();
        if (next is null || next.Position != patient.Position + 1 || next.Sentences.Count == 0)
        {
            return false;
        }

        var content = next.Sentences.Where(s => ConsultationReading.Words(s.Clean).Count > 2).ToList();
        return content.Count > 0
               && content.All(s => s.IsQuestion)
               && !WordStems.Of(question.Clean).Overlaps(WordStems.Of(next.Turn.Text));
    }

    [GeneratedRegex(@"\b(?:worr\w*|scared|afraid|frighten\w*|anxious|anxiety|nervous|panic\w*|stress\w*|upset\w*|terrified|concern\w*|struggl\w*|can't cope|embarrass\w*|horrible|awful|miserable|fed up)\b")]
    private static partial Regex Feeling();

    [GeneratedRegex(@"\b(?:worr\w*|scared|afraid|frighten\w*|terrified|concern\w*)\b")]
    private static partial Regex Worry();

    [GeneratedRegex(@"\b(?:not (?:really |too )?(?:worried|concerned|stressed|anxious)|no (?:worries|concerns))\b")]
    private static partial Regex NotFeeling();

    [GeneratedRegex(@"\b(?:work|job|office|school|college|uni|sleep\w*|awake|up at night|kids|children|family|wife|husband|partner|day[- ]to[- ]day|daily|activit\w*|hobb\w*|gym|exercise)\b")]
    private static partial Regex LifeMention();

    [GeneratedRegex(@"\b(?:i think (?:it(?:'s| is| was| might| could| may)?|that|this|maybe|i(?:'ve| have))|maybe it(?:'s| is| was)|it might be|it could be|i wonder(?:ed)? (?:if|whether)|i reckon|because of the|my (?:friend|mum|mother|dad|father|wife|husband) (?:said|thinks|had))\b")]
    private static partial Regex OwnTheory();

    [GeneratedRegex(@"\b(?:hear me|hear you|see me|see you|how are you|hello|you there)\b")]
    private static partial Regex Housekeeping();
}
