using System.Text.RegularExpressions;

namespace PracticePlatform.Ai.Feedback.Offline;

/// <summary>A clinician sentence (or two adjacent ones) that performs an item.</summary>
internal sealed record ItemHit(int Turn, string Quote);

/// <summary>
/// The sixteen essentials as rules over the clinician's sentences. Each rule reads as the RUBRIC.md definition and its
/// "borderline" readings read: what kind of sentence it is (question or statement), what it is about, and where in the
/// consultation it falls (greetings near the start, plans in the second half).
/// </summary>
internal static partial class EssentialRecognisers
{
    public static IReadOnlyList<ItemHit> Recognise(string code, ConsultationReading reading) => code switch
    {
        "greeting" => Greeting(reading),
        "introduction" => Sentences(reading, s => Introduction().IsMatch(s.Clean), maxProgress: 0.4),
        "identity_check" => Sentences(reading, IsIdentityCheck, maxProgress: 0.5),
        "open_opening" => OpenOpening(reading),
        "ideas" => Sentences(reading, s => s.IsQuestion && IdeasAsked().IsMatch(s.Clean)),
        "concerns" => Sentences(reading, IsConcernsQuestion),
        "expectations" => Sentences(reading, s => s.IsQuestion && ExpectationsAsked().IsMatch(s.Clean)),
        "impact" => Sentences(reading, s => s.IsQuestion && ImpactAsked().IsMatch(s.Clean) && !OccupationOnly().IsMatch(s.Clean) && !SymptomGrading().IsMatch(s.Clean)),
        "empathy" => Sentences(reading, s => Empathy().IsMatch(s.Clean) && !Reassurance().IsMatch(s.Clean)),
        "summary" => Summary(reading),
        "explanation" => Sentences(reading, s => !s.IsQuestion && Explanation().IsMatch(s.Clean) && !ConditionalStart().IsMatch(s.Clean), minProgress: 0.35),
        "check_understanding" => Sentences(reading, s => UnderstandingChecked().IsMatch(s.Clean)),
        "shared_decision" => Sentences(reading, s => DecisionShared().IsMatch(s.Clean), minProgress: 0.4),
        "safety_net" => Pairs(reading, IsSafetyNet),
        "questions_invited" => Sentences(reading, s => QuestionsInvited().IsMatch(s.Clean), minProgress: 0.3),
        "follow_up" => Sentences(reading, IsNextStep, minProgress: 0.15),
        _ => [],
    };

    private static List<ItemHit> Sentences(ConsultationReading reading, Func<SpokenSentence, bool> performs, double minProgress = 0, double maxProgress = 1)
    {
        var hits = new List<ItemHit>();
        foreach (var turn in reading.ClinicianTurns.Where(t => t.Progress >= minProgress && t.Progress <= maxProgress))
        {
            var sentence = turn.Sentences.FirstOrDefault(performs);
            if (sentence is not null)
            {
                hits.Add(new ItemHit(turn.Turn.Index, turn.Quote(sentence)));
            }
        }

        return hits;
    }

    /// <summary>Like <see cref="Sentences"/>, but a rule may need a sentence and the one after it (condition, then action).</summary>
    private static List<ItemHit> Pairs(ConsultationReading reading, Func<string, bool> performs)
    {
        var hits = new List<ItemHit>();
        foreach (var turn in reading.ClinicianTurns)
        {
            for (var i = 0; i < turn.Sentences.Count; i++)
            {
                var sentence = turn.Sentences[i];
                if (performs(sentence.Clean))
                {
                    hits.Add(new ItemHit(turn.Turn.Index, turn.Quote(sentence)));
                    break;
                }

                if (i + 1 < turn.Sentences.Count && performs(sentence.Clean + " " + turn.Sentences[i + 1].Clean))
                {
                    hits.Add(new ItemHit(turn.Turn.Index, turn.Quote(sentence, turn.Sentences[i + 1])));
                    break;
                }
            }
        }

        return hits;
    }

    private static List<ItemHit> Greeting(ConsultationReading reading)
    {
        // "Near the start": the first few clinician turns, or the first tenth of a long consultation.
        var early = reading.ClinicianTurns.Where((t, i) => i < 4 || t.Progress <= 0.1);
        return early
            .Select(t => (Turn: t, Sentence: t.Sentences.FirstOrDefault(s => Greets().IsMatch(s.Clean))))
            .Where(x => x.Sentence is not null)
            .Select(x => new ItemHit(x.Turn.Turn.Index, x.Turn.Quote(x.Sentence!)))
            .ToList();
    }

    private static bool IsIdentityCheck(SpokenSentence sentence) =>
        !sentence.Clean.Contains("my name", StringComparison.Ordinal)
        && (IdentityAsked().IsMatch(sentence.Clean) || (sentence.IsQuestion && IdentityFragment().IsMatch(sentence.Clean)));

    /// <summary>
    /// The first question about the problem decides: open ("How can I help?") makes it present; a closed check of the
    /// booked reason makes it absent unless an open prompt follows at once (the rest of that turn or the next clinician
    /// turn). Admin (name, date of birth, privacy, "can you hear me", a social "how are you") is not that question.
    /// </summary>
    private static List<ItemHit> OpenOpening(ConsultationReading reading)
    {
        var turns = reading.ClinicianTurns;
        for (var t = 0; t < turns.Count; t++)
        {
            var turn = turns[t];
            var afterAdmin = false;
            for (var s = 0; s < turn.Sentences.Count; s++)
            {
                var sentence = turn.Sentences[s];
                var clean = sentence.Clean;
                if (StrongOpenPrompt().IsMatch(clean))
                {
                    return [new ItemHit(turn.Turn.Index, turn.Quote(sentence))];
                }

                if (Admin().IsMatch(clean) || (afterAdmin && TagQuestion().IsMatch(clean)))
                {
                    afterAdmin = true;
                    continue;
                }

                afterAdmin = false;
                if (OpenPrompt().IsMatch(clean))
                {
                    return [new ItemHit(turn.Turn.Index, turn.Quote(sentence))];
                }

                if (!sentence.IsQuestion && !ClosedFraming().IsMatch(clean))
                {
                    continue;
                }

                // Only a check of the booked reason ("it says here..., is that right?") is redeemed by an open prompt
                // straight after; any other closed first question decides at once.
                if (!ClosedFraming().IsMatch(clean) && !ReasonCheckTag().IsMatch(clean))
                {
                    return [];
                }

                var rest = turn.Sentences.Skip(s + 1).FirstOrDefault(x => OpenPrompt().IsMatch(x.Clean) || StrongOpenPrompt().IsMatch(x.Clean));
                if (rest is not null)
                {
                    return [new ItemHit(turn.Turn.Index, turn.Quote(sentence, rest))];
                }

                var next = turns.Skip(t + 1).FirstOrDefault();
                var prompt = next?.Sentences.FirstOrDefault(x => OpenPrompt().IsMatch(x.Clean) || StrongOpenPrompt().IsMatch(x.Clean));
                return next is not null && prompt is not null
                    ? [new ItemHit(next.Turn.Index, next.Quote(prompt)), new ItemHit(turn.Turn.Index, turn.Quote(sentence))]
                    : [];
            }
        }

        return [];
    }

    private static bool IsConcernsQuestion(SpokenSentence sentence)
    {
        var clean = sentence.Clean;
        return (sentence.IsQuestion || clean.Contains("anything", StringComparison.Ordinal))
               && WorryWord().IsMatch(clean)
               && YouOrAnything().IsMatch(clean)
               && !ConditionalWorry().IsMatch(clean)
               && !Reassurance().IsMatch(clean)
               && !ClinicianWorry().IsMatch(clean);
    }

    /// <summary>
    /// A recap offered to the patient: an explicit "to recap/summarise", or restating sentences ("so you've had...",
    /// "you mentioned...") that carry about three points. History restated as the premise of an explanation is not one.
    /// </summary>
    private static List<ItemHit> Summary(ConsultationReading reading)
    {
        var hits = new List<ItemHit>();
        foreach (var turn in reading.ClinicianTurns)
        {
            var marker = turn.Sentences.FirstOrDefault(s => RecapMarker().IsMatch(s.Clean));
            if (marker is not null)
            {
                hits.Add(new ItemHit(turn.Turn.Index, turn.Quote(marker)));
                continue;
            }

            var restating = turn.Sentences.Where(s => Restating().IsMatch(s.Clean) && !ExplanationPremise().IsMatch(s.Clean)).ToList();
            if (restating.Count == 0)
            {
                continue;
            }

            var points = restating.Sum(s => Points(s.Clean));
            if (points >= 3)
            {
                hits.Add(new ItemHit(turn.Turn.Index, turn.Quote(restating[0], restating[^1])));
            }
        }

        return hits;
    }

    /// <summary>
    /// The facts a restating sentence carries: its pieces between commas and "and"/"with"/"but", without tags ("you
    /// said", "is that right"), follow-on questions, pieces with no content word, and self-repairs ("you're losing a
    /// lot of, a lot of, you're using...": a piece inside another piece is the same piece).
    /// </summary>
    private static int Points(string clean)
    {
        var pieces = PointSeparator().Split(clean)
            .Select(p => p.Trim())
            .Where(p => !FollowOnQuestion().IsMatch(p) && WordStems.Of(Filler().Replace(p, " ")).Count > 0)
            .ToList();
        return pieces.Where((p, i) => !pieces.Where((q, j) => j != i && q.Length > p.Length).Any(q => q.Contains(p, StringComparison.Ordinal))).Count();
    }

    private static bool IsSafetyNet(string clean) =>
        SafetyCondition().IsMatch(clean) && SafetyChange().IsMatch(clean) && SafetyAction().IsMatch(clean);

    private static bool IsNextStep(SpokenSentence sentence) =>
        !sentence.IsQuestion
        && NextStepThing().IsMatch(sentence.Clean)
        && PlanVerb().IsMatch(sentence.Clean)
        && !PastHistory().IsMatch(sentence.Clean)
        && !IsSafetyNet(sentence.Clean);

    [GeneratedRegex(@"\b(?:hello|hi|hiya|hey|good (?:morning|afternoon|evening)|nice to (?:see|meet) you|how are you(?: doing)?|welcome)\b")]
    private static partial Regex Greets();

    [GeneratedRegex(@"\b(?:(?:i am|i'm|im|it's|it is|this is|my name is|my name's) (?:dr|doctor|nurse|one of the)\b|my name(?: is|'s) [a-z]|i'm (?:a|one of the|the) (?:\w+ ){0,2}(?:doctors?|gps?|general practitioners?|physicians?|nurses?|clinicians?|practitioners?|pharmacists?|registrars?|medical students?)\b|(?:dr|doctor) [a-z]+ (?:here|speaking|from)\b|i'm [a-z]+,? (?:and )?(?:i'm )?(?:a|one of the|the) (?:\w+ ){0,2}(?:doctors?|gps?|general practitioners?|physicians?|nurses?|clinicians?|practitioners?|pharmacists?|registrars?|medical students?)\b)")]
    private static partial Regex Introduction();

    [GeneratedRegex(@"\b(?:confirm|check|verify|give me|tell me|get|have|take)\b.{0,40}\b(?:name(?! of)|date of birth|birthday|dob|address|postcode|post code|age|nhs number)\b|\bhow old are you\b|\bwhat(?:'s| is) your (?:full )?(?:name|date of birth)\b")]
    private static partial Regex IdentityAsked();

    [GeneratedRegex(@"^(?:(?:and|so|ok|okay|right|hello|hi|great|thank you|thanks)[ ,]+)*(?:your |the )?(?:full |home |email |e-mail |first line of your )?(?:date of birth|address|name|postcode|email address|age)\b")]
    private static partial Regex IdentityFragment();

    [GeneratedRegex(@"\b(?:how (?:can|could|may|do) (?:i|we) help|what can (?:i|we) do for you|what can (?:i|we) help (?:you )?with|what (?:brings|brought|has brought|'s brought) you|what seems to be (?:the|a) (?:problem|matter|trouble|issue)|what made you (?:book|come|call|contact|decide|want)|why have you (?:come|called|booked|contacted))")]
    private static partial Regex StrongOpenPrompt();

    [GeneratedRegex(@"\b(?:what(?:'s| is| has| 's| have you)? (?:been )?(?:going on|happening|the (?:problem|matter|trouble|issue))|tell me (?:a )?(?:little )?(?:bit )?(?:more|about|what|how (?:it|this|things|you've been)|why)|^tell me,|(?:can|could|would) you (?:tell|describe|explain)(?: to)? (?:me )?(?:a (?:little )?bit |more |what|about)|in your own words|what would you like to (?:talk|discuss|chat)|what did you want to (?:talk|discuss|chat)|what (?:would|did) you like (?:to see me|help) about)")]
    private static partial Regex OpenPrompt();

    [GeneratedRegex(@"\b(?:name|date of birth|birthday|dob|address|postcode|post code|email|e-mail|how old|years old|your age|private|confidential|secure|quiet|hear me|hear you|see me|see you|volume|before we (?:start|begin|go any further|carry on)|(?:should|shall|can) we (?:start|begin)|go ahead|speak freely|(?:ok|okay) to (?:speak|talk|chat)|able to talk|talk at the moment|how are you|how're you|you all right|nice to (?:see|meet)|consultation today)\b|^(?:hi|hello|hey|good (?:morning|afternoon|evening))\b")]
    private static partial Regex Admin();

    [GeneratedRegex(@"^(?:(?:is|was) (?:that|it|this) (?:\w+ ){0,3}(?:right|correct|ok|okay|possible|true|fine|alright|all right)|(?:yeah|yes|right|ok|okay|correct)$)")]
    private static partial Regex TagQuestion();

    [GeneratedRegex(@"\b(?:is|was) (?:that|it|this) (?:\w+ ){0,2}(?:right|correct|true)\b")]
    private static partial Regex ReasonCheckTag();

    [GeneratedRegex(@"\b(?:it says|says here|in (?:our|your|the) notes|i understand (?:that )?you|you(?:'ve| have)? mentioned|you said|i see (?:that )?you|i've got a note)\b")]
    private static partial Regex ClosedFraming();

    [GeneratedRegex(@"\b(?:you think|your (?:own )?(?:thoughts|theory|view)|any (?:ideas|thoughts)|(?:an|any) idea (?:of |about |what|why)|what do you reckon|do you reckon)\b.*\b(?:caus\w*|trigger\w*|contribut\w*|going on|chang\w*|might be|could be|may be|it is|it's|this is|brought (?:it|this|that) on|bad|behind|led to|due to|related|from|happen\w*|(?:the )?reason)\b|\bwhat do you think (?:it|this|that) (?:is|might|could|may)\b|\bwhat(?:'s| is) your (?:own )?(?:theory|idea|understanding) (?:of|about)\b")]
    private static partial Regex IdeasAsked();

    [GeneratedRegex(@"\b(?:worr\w*|concern\w*|anxious|scared|afraid|frighten\w*|fears?)\b")]
    private static partial Regex WorryWord();

    [GeneratedRegex(@"\b(?:you|your|you're|anything|something)\b")]
    private static partial Regex YouOrAnything();

    [GeneratedRegex(@"\bif (?:you(?:'re| are)? |it |there's |anything )?(?:\w+ ){0,3}(?:worr|concern)")]
    private static partial Regex ConditionalWorry();

    [GeneratedRegex(@"\b(?:i(?:'m| am) (?:a bit |really |quite |a little )*(?:worried|concerned)|we(?:'re| are)? (?:worried|concerned)|i (?:would|wouldn't|'d|would not) be (?:worried|concerned)|concerning)\b")]
    private static partial Regex ClinicianWorry();

    [GeneratedRegex(@"\b(?:nothing (?:to|too much to) worry|don't worry|do not worry|no need to worry|not (?:something )?to worry|nothing serious|not worried|(?:shouldn't|should not|won't|will not) (?:be )?(?:worr|harm))")]
    private static partial Regex Reassurance();

    [GeneratedRegex(@"\b(?:you(?:'re| are| were)? (?:\w+ )?(?:expect\w*|hop(?:e|ed|ing))\b|(?:out of|from) (?:today|this (?:consultation|appointment|call|visit)|the (?:consultation|appointment)|today's)|what would you like (?:me|us) to do|(?:have|had) (?:you )?(?:got )?(?:anything|something) in mind|what did you have in mind|what (?:were|are) you (?:hoping|expecting|looking for)|how (?:can|could) (?:i|we) best help|what would (?:be )?(?:most )?help(?:ful)? for you)\b")]
    private static partial Regex ExpectationsAsked();

    [GeneratedRegex(@"\b(?:affect\w*|impact\w*|interfer\w*|get(?:ting)? in the way|stop(?:ping|ped)? you)\b.*\b(?:life|work|job|day|sleep|activit\w*|you|family|home|school|study|studies)\b|\b(?:miss\w*|off|time off|been (?:at|to|going (?:in)?to|in)|go(?:ing)? (?:in)?to|able to (?:go to |get to )?|manag\w*|cop\w*|back at)\b.{0,25}\b(?:work|school|college|uni|university|job)\b|\b(?:sleep\w*|asleep)\b|\bday[- ]to[- ]day\b|\bdaily (?:life|activit\w*|routine)|\beveryday (?:life|activit\w*|things|tasks)\b|\bnormal (?:activit\w*|life|routine|things)\b|\bhow are things at home\b|\bhome life\b|\bfamily life\b|\bhobbies\b|\b(?:able to|manag\w*|stopped|still) (?:do )?(?:any |your )?(?:exercise|sport|gym)\b|\b(?:see|seeing|meet|meeting|avoid\w*|contact with|go out with) (?:your |any )?friends\b|\bsocial life\b|\bsocialis\w*|\b(?:coping|managing)\b")]
    private static partial Regex ImpactAsked();

    /// <summary>Questions that grade a symptom by an activity ("do you get breathless walking day to day?") are not impact.</summary>
    [GeneratedRegex(@"\b(?:breathless\w*|short of breath|shortness of breath|wheez\w*|stairs|walk\w* (?:up|around|far)|how far|appetite)\b")]
    private static partial Regex SymptomGrading();

    [GeneratedRegex(@"\bwhat (?:is it that |do )?you do for (?:work|a living|a job)\b|\bwhat(?:'s| is) your (?:job|occupation)\b")]
    private static partial Regex OccupationOnly();

    [GeneratedRegex(@"\b(?:sorry to hear|(?:i'm|i am) (?:so |very |really )?sorry (?:about|that|for|you)|oh dear|oh no|(?:that|it|this) must (?:be|have been|'ve been)|must be (?:\w+ )?(?:hard|difficult|tough|awful|horrible|frightening|scary|worrying|stressful|painful|uncomfortable|frustrating|upsetting|exhausting)|sounds (?:\w+ )?(?:difficult|hard|tough|awful|horrible|terrible|painful|uncomfortable|distressing|stressful|frightening|scary|worrying|upsetting|unpleasant|rough|miserable|frustrating|exhausting)|i can (?:completely |totally |fully )?(?:understand|imagine|appreciate)\b|i can see (?:why|how|that (?:must|this|it)|your|you(?:'re| are) (?:\w+ )?(?:worried|concerned|distressed|upset|anxious|stressed))|i (?:completely |totally |fully )?(?:understand|appreciate) (?:why|how|that (?:must|this|it|you)|your (?:worry|worries|concern|frustration|fear))|(?:i know|i understand|i appreciate|i can see) (?:that )?you(?:'re| are) (?:\w+ ){0,2}(?:worried|concerned|stressed|anxious|upset|distressed|frightened|scared|down|struggling|in pain|uncomfortable)|put your mind (?:at|to) rest|you(?:'re| are| seem| sound) (?:a bit |a little bit |a little |quite |very |really |so )?(?:worried|concerned|stressed|anxious|upset|distressed|frightened|scared|down)|you did the right thing|(?:stay|hang|be) on the line|i(?:'ll| will) stay with you|we(?:'ll| will) take (?:good )?care|that's (?:awful|horrible|terrible|a shame|tough|rough|really difficult|not nice|really hard)|thank you for (?:sharing|telling me about|being so open)|hopefully we can (?:help|get)|it's (?:completely |totally |very )?(?:understandable|normal to feel)|no wonder)")]
    private static partial Regex Empathy();

    [GeneratedRegex(@"\b(?:to (?:recap|summari[sz]e|sum up|sum it up)|(?:recap|summary) of|let me (?:just )?(?:check|make sure) (?:i(?:'ve| have)|that i) (?:got|understood)|you(?:'ve)? mentioned (?:a few|a couple of|several|lots of|two|three|a number of) things|so far you(?:'ve| have))\b")]
    private static partial Regex RecapMarker();

    [GeneratedRegex(@"^(?:(?:so|and|ok|okay|right|alright|all right|now|just|you know)[ ,]+)*(?:so,? )?you(?:'ve| have| had| are|'re| were)? (?:mentioned|said|told me|described|had|been|got|noticed|having|started|developed)\b|^(?:(?:ok|okay|right|and)[ ,]+)*so,? you(?:'ve| have|'re| are)\b(?! to\b)")]
    private static partial Regex Restating();

    [GeneratedRegex(@"\b(?:because|which (?:is|means)|that's why|so i think|sounds like|suggest\w*|most likely|probably)\b")]
    private static partial Regex ExplanationPremise();

    [GeneratedRegex(@",\s*(?:and\s+|or\s+)?|\s+and\s+|\s+with\s+|\s+but\s+|\s+as well as\s+")]
    private static partial Regex PointSeparator();

    [GeneratedRegex(@"^(?:so |and |but |ok |okay )*(?:what|how|when|where|why|do|does|did|have you|are you|is|can|could|tell me|just tell me)\b|^(?:is that|isn't it|is it|yeah|right|ok|okay|correct|you said|you mentioned|you know|i mean|have you|did you)$")]
    private static partial Regex FollowOnQuestion();

    [GeneratedRegex(@"\b(?:so|you've|you'd|you're|you|know|said|mentioned|told|noticed|had|having|now|just|obviously|also|then|well|quite|bit|lot|little)\b")]
    private static partial Regex Filler();

    [GeneratedRegex(@"\b(?:sounds? (?:like|as if|as though)|(?:it|this|that)(?:'s| is| could be| might be| may be| seems| looks)(?: like)? (?:probably |likely |most likely |more likely |just )?(?:a |an |just |what |something |due |because |caused |related |called )|most likely|more likely|likely to be|probably (?:a |an |just |got |have |has |due |what |an? )|suggestive of|consistent with|in keeping with|what we call|(?:is|'s) called|something called|caused by|due to|diagnos\w*|(?:i think|i suspect|i believe|i feel) (?:it(?:'s| is)?|this|that(?:'s)?|you(?:'ve| have| might| may| could| are|'re)|your|what)|the reason (?:is|why|for)|infection|virus|viral|rule out|(?:the )?possibility of|(?:it |this )?looks like (?:you|it|this|a|an)|because of|i wonder (?:whether|if) (?:you|it|this)|(?:what|why) (?:is|'s) happening is|what(?:'s| is) going on is)\b")]
    private static partial Regex Explanation();

    [GeneratedRegex(@"^(?:(?:and|so|but|um)[ ,]+)*if\b")]
    private static partial Regex ConditionalStart();

    [GeneratedRegex(@"\b(?:(?:does|did|do) (?:that|this|it|all (?:of )?that|everything) (?:all )?make sense|makes? sense to you|(?:is|was|are) (?:that|this|the (?:treatment )?plan|the treatment|everything|it|all (?:of )?that|things) (?:all )?clear|do you understand|(?:are|is) you (?:clear|following)|(?:have|has) (?:that|i|this) (?:made sense|explained)|did i explain|(?:can|could) you (?:tell|repeat|explain|say)(?: it| that| this)? (?:back|to me what|me what you)|in your own words what|just to (?:check|make sure) (?:you|that you)(?:'ve| have)? understood|any questions about (?:that|what i)|clear (?:enough|so far))\b")]
    private static partial Regex UnderstandingChecked();

    [GeneratedRegex(@"\b(?:how (?:does|do|'s|is) (?:that|this|it|the plan) sound|how's that sound|(?:does|would|do) (?:that|this|it) (?:all )?sound (?:ok|okay|alright|all right|good|reasonable|fine|like a (?:good )?plan)|(?:is|are) (?:that|this|you) (?:ok|okay|alright|all right|happy|comfortable|fine) (?:with|for) (?:you|that|this|the plan)|are you happy (?:to|with)|would you be happy|(?:would|do) you (?:feel )?(?:be )?(?:comfortable|ok|okay) (?:with|to)|how do you feel about|which (?:one |option )?(?:would|do) you prefer|would you prefer|whichever (?:is your|you) prefer|your preference|(?:it )?depends on you|up to you|your (?:choice|decision)|(?:two|a couple of|a few|some|different) (?:options|ways of|choices)|do you agree|would you like (?:to try|to go|to take|me to (?:prescribe|refer|send|book))|what do you think (?:about|of) (?:that|this|trying|taking|the plan|going)|do you want (?:me to|to try|to go))\b")]
    private static partial Regex DecisionShared();

    [GeneratedRegex(@"\b(?:if|should (?:you|it|things|this|that|the|your|there|anything)|unless|in the meantime|meantime|while you(?:'re| are) waiting|before (?:that|then|your appointment)|look(?:ing)? out for|watch(?:ing)? out for|warning signs?|red flags?)\b")]
    private static partial Regex SafetyCondition();

    [GeneratedRegex(@"\b(?:worse|worsen\w*|deteriorat\w*|not (?:getting |feeling )?better|\w+n't (?:get|getting|got|feel|feeling) (?:any )?better|still not|not (?:any )?better|not (?:settl|improv|resolv|clear|go|help)\w*|\w+n't (?:settl|improv|resolv|clear|go|help)\w*|persist\w*|new symptoms?|any (?:other )?symptoms|high temperature|temperature|fever\w*|spread\w*|unbearable|concerns?|worried|develop\w*|chang\w*|recurr\w*|keep getting|ongoing|longer than|more unwell|unwell|short of breath|breathing|weakness|bleeding|vomiting|pain)\b")]
    private static partial Regex SafetyChange();

    [GeneratedRegex(@"\b(?:come (?:back|and see|in)|call|ring|phone|contact|get in touch|get back to|speak (?:to|with)|talk (?:to|with)|see (?:me|us|a|your|the|someone|somebody|one of)|a and e|a&e|a & e|999|111|hospital|urgent\w*|emergency|straight ?away|seek|get (?:help|seen|checked)|be seen|give (?:me|us) a (?:call|ring|bell)|book|let (?:me|us) know)\b")]
    private static partial Regex SafetyAction();

    [GeneratedRegex(@"\b(?:prescri\w*|antibiotic\w*|paracetamol|ibuprofen|antihistamine\w*|inhaler\w*|steroid\w*|creams?|tablets?|medication\w*|medicines?|blood tests?|tests?|samples?|x-?rays?|ecg|scans?|refer\w*|appointment|review|follow[- ]?up|clinic|hospital|a and e|a&e|ambulance|pharmacy|chemist|over the counter|sick note|therapy|counsell\w*|physio\w*|letter|sachets?|dioralyte|link|leaflet|examin\w*|check (?:you )?over|come (?:back )?(?:in )?and see|(?:see|seen by) (?:a|one of|your|the|my) (?:\w+ )?(?:gp|doctor|colleague|nurse|specialist|team)s?|peak flow|thermometer)\b")]
    private static partial Regex NextStepThing();

    [GeneratedRegex(@"\b(?:i'll|i will|we'll|we will|i'm going to|i'm gonna|we're going to|we're gonna|going to|gonna|i'd like|i would like|i want you to|you (?:can|could|should|need to|might need|may need|will need|would need|'ll need|must)|i (?:would|'d) (?:suggest|recommend|advise)|i (?:suggest|recommend|advise)|(?:it's|it is|it'd be|it would be|it might be|might be|probably) (?:\w+ )?(?:worth|helpful|best|important|a good idea)|try|take|let's|arrange|we (?:can|could|may|might|need|should|would)|need to|start|get|drink|book)\b")]
    private static partial Regex PlanVerb();

    [GeneratedRegex(@"\b(?:you (?:took|have taken|'ve taken|tried|have tried|'ve tried|were (?:given|prescribed))|have you (?:taken|tried|had))\b")]
    private static partial Regex PastHistory();

    [GeneratedRegex(@"\b(?:any (?:other |more |further )?(?:questions|queries)|(?:do|did) you (?:want|wanna|wish|like) to (?:ask|know) (?:me )?(?:any|anything|something)|(?:have|has) you got any (?:other |more |further )?(?:questions|queries)|anything (?:else )?(?:that )?you(?:'d| would)? (?:like|want|wanted|wish) to (?:ask|tell|discuss|mention|talk|know)|is there anything else (?:i can|we can|you(?:'d| would)|you want|that you|you wanted)|anything else (?:i can|we can) (?:help|do)|(?:want|like) to ask me (?:anything|something)|anything you(?:'d| would)? (?:like|want) to ask|what questions do you have|further (?:issues|questions))\b")]
    private static partial Regex QuestionsInvited();
}
