namespace PracticePlatform.Ai.Patient.Offline;

/// <summary>What an utterance does or contains, as found by <see cref="Lexicon"/> and <see cref="Utterance"/>.</summary>
[Flags]
internal enum Cue : long
{
    None = 0,
    Question = 1L << 0,
    OpenQuestion = 1L << 1,
    ClosedQuestion = 1L << 2,
    Invitation = 1L << 3,
    Statement = 1L << 4,
    Greeting = 1L << 5,
    Introduction = 1L << 6,
    IdentityName = 1L << 7,
    IdentityBirth = 1L << 8,
    Wellbeing = 1L << 9,
    Empathy = 1L << 10,
    Apology = 1L << 11,
    Reflection = 1L << 12,
    Affirmation = 1L << 13,
    Explanation = 1L << 14,
    TeachBack = 1L << 15,
    ClosedCheck = 1L << 16,
    InviteQuestions = 1L << 17,
    Closing = 1L << 18,
    SafetyNet = 1L << 19,
    Judgemental = 1L << 20,
    Hostile = 1L << 21,
    Dismissive = 1L << 22,
    ClinicianDefensive = 1L << 23,
    Blunt = 1L << 24,
    Jargon = 1L << 25,
    InfoDump = 1L << 26,
    Numbers = 1L << 27,
    Options = 1L << 28,
    Alarm = 1L << 29,
    Injection = 1L << 30,
    OffTopic = 1L << 31,
    Nonsense = 1L << 32,
    Empty = 1L << 33,
    Ideas = 1L << 34,
    Concerns = 1L << 35,
    Expectations = 1L << 36,
    Directive = 1L << 37,
    WarningShot = 1L << 38,
    ReasonForVisit = 1L << 39,
    ExplainMarker = 1L << 40,
    Interpreter = 1L << 41,
    RoleWord = 1L << 42,
    Acknowledgement = 1L << 43,
}

/// <summary>The offline patient's word lists. Each entry is a phrase of stems (see <see cref="Words"/>).</summary>
internal static class Lexicon
{
    /// <summary>Phrases that mark a cue anywhere in a sentence.</summary>
    public static readonly PhraseIndex<Cue> Cues = BuildCues();

    /// <summary>Words that open a question ("what", "do", "could"...).</summary>
    public static readonly HashSet<string> QuestionStarters = new(StringComparer.Ordinal)
    {
        "what", "what's", "whats", "how", "how's", "hows", "why", "when", "where", "who", "who's", "which", "whose",
        "do", "does", "did", "are", "is", "have", "has", "had", "can", "could", "would", "will", "shall", "should", "may",
        "any", "anything", "were", "was", "am", "don't", "doesn't", "didn't", "haven't", "hasn't", "isn't", "aren't",
        "won't", "wouldn't", "can't", "couldn't", "anyone", "anybody", "ever",
    };

    public static readonly HashSet<string> OpenStarters = new(StringComparer.Ordinal)
    {
        "what", "what's", "whats", "how", "how's", "hows", "why", "when", "where", "who", "which", "tell", "describe",
        "talk", "walk",
    };

    /// <summary>Words skipped before deciding how a sentence starts ("so", "okay", "and"...).</summary>
    public static readonly HashSet<string> Fillers = new(StringComparer.Ordinal)
    {
        "so", "and", "ok", "okay", "right", "well", "now", "um", "umm", "erm", "er", "uh", "just", "but", "alright",
        "oh", "then", "also", "mr", "mrs", "ms", "miss", "dr", "sorry", "thanks", "great", "good", "lovely", "fine", "yes",
        "yeah", "no", "sure", "first", "firstly", "next", "finally", "perhaps", "maybe",
    };

    /// <summary>Bare pleasantries ("how are you feeling?"): asked alone they are social, not an enquiry.</summary>
    public static readonly string[][] Pleasantries =
    [
        .. new[]
        {
            "how are you", "how are you feeling", "how are you doing", "how are you today", "how are you feeling today",
            "how are you doing today", "how's it going", "how is it going", "how are things", "how have you been",
            "are you ok", "are you okay", "are you alright", "you alright", "you ok", "you okay", "how you doing",
            "how are we", "how are we doing", "how are we today", "how are you getting on", "how are you keeping",
            "how are you feeling now", "how do you feel today", "how are you this morning", "how are you this afternoon",
        }.Select(Words.Tokenize),
    ];

    /// <summary>Words that are not topics (pronouns, articles, auxiliaries, the author's meta words).</summary>
    public static readonly HashSet<string> Stopwords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "for", "with", "without", "about", "by",
        "from", "as", "into", "that", "this", "these", "those", "it", "its", "it's", "is", "are", "was", "were", "be",
        "been", "being", "has", "have", "had", "do", "does", "did", "he", "she", "him", "her", "his", "hers", "herself",
        "himself", "they", "them", "their", "i", "me", "my", "you", "your", "we", "us", "our", "what", "which", "who",
        "whom", "how", "why", "when", "where", "than", "then", "so", "not", "no", "yes", "can", "cannot", "can't", "could",
        "would", "will", "should", "must", "may", "might", "shall", "learner", "patient", "clinician", "doctor", "way",
        "tone", "thing", "things", "something", "anything", "most", "more", "much", "again", "first", "early", "clearly",
        "clear", "sincerely", "calmly", "directly", "kindly", "gently", "simply", "quickly", "bluntly", "abruptly",
        "seriously", "visible", "visibly", "concrete", "own", "one", "use", "uses", "used", "using", "changes",
        "change", "says", "say", "tells", "tell", "told", "gives", "give", "given", "puts", "put", "makes", "make",
        "made", "there", "here", "all", "any", "some", "just", "only", "very", "really", "still", "also", "too", "up",
        "out", "off", "over", "before", "after", "while", "such", "each", "other", "well", "even", "yet", "already",
        "she's", "he's", "i'm", "you're", "don't", "doesn't", "let", "lets", "get", "gets", "got", "go", "goes", "going",
        "come", "comes", "back", "know", "knows", "like", "want", "wants", "need", "needs", "mr", "mrs", "ms", "dr",
        "answers", "answer", "question", "questions", "open", "form", "way", "moves", "accepts", "yes", "moment",
        "moments", "said", "asking", "asked", "asks", "ask", "becomes", "become", "acts", "wrong", "right", "gets",
        "along", "at", "once", "through", "everything", "someone", "somebody", "both",
    };

    /// <summary>Common English and conversation words, used to tell nonsense ("asdf qwer") from speech.</summary>
    public static readonly HashSet<string> Common = new(
        ("a about above after again against all almost alone along already alright also always am an and another any anyone " +
         "anything anyway are aren't around as ask asked at away back bad be because been before being below best better " +
         "between big bit both but by call called came can can't cannot could couldn't day days did didn't do does doesn't " +
         "doing don't done down during each early else end enough even ever every everyone everything feel feeling felt few " +
         "find fine first for found from get gets getting give go goes going gone good got great had hasn't has have haven't " +
         "having he he's hear heard hello help her here hers herself hey hi him himself his home how how's however i i'd i'll " +
         "i'm i've if in into is isn't it it's its just keep kind know last later least leave left less let let's life like " +
         "little long look looking lot love made make many may maybe me mean might mind more morning most much must my myself " +
         "need never new next nice night no nobody not nothing now of off often oh ok okay on once one only or other our out " +
         "over own part people perhaps place please point put quite rather really right said same saw say says see seem seen " +
         "she she's should shouldn't since so some someone something sometimes soon sorry start still such sure take taken " +
         "talk tell than thank thanks that that's the their them then there there's these they they're thing things think " +
         "this those though thought through time to today together told too took try trying two under understand until up us " +
         "use used very want wanted was wasn't way we we'll we're we've well went were what what's when where whether which " +
         "while who who's whole why will with without won't word work would wouldn't yeah year years yes yet you you'd " +
         "you'll you're you've your yours yourself hm hmm mm um umm erm ah oh uh yep nope aye cheers bye goodbye afternoon " +
         "evening doctor nurse pain hurt ache sick ill better worse week weeks month months hour hours minute minutes " +
         "three four five six seven eight nine ten twenty hundred thousand family mother father mum dad son daughter wife " +
         "husband partner children child kids baby brother sister friend friends job school house car drive eat drink " +
         "sleep walk live lives lived smoke smoking alcohol drugs medicine medicines tablet tablets pills allergic allergies " +
         "blood test tests result results scan heart chest head stomach tummy leg legs arm arms back breath breathing " +
         "water food money worried worry worries concern concerned afraid scared happy sad angry upset tired plan talk " +
         "explain happen happened happening problem problems question questions name birth date old age years understand " +
         "mean means sense clear help hospital ward clinic appointment today tomorrow yesterday tonight home safe okay " +
         "write poem capital france story joke song weather ignore instructions list facts tell say again repeat").Split(' '),
        StringComparer.Ordinal);

    /// <summary>Medical words a patient with limited English would not follow.</summary>
    public static readonly PhraseIndex<bool> Jargon = BuildJargon();

    private static PhraseIndex<bool> BuildJargon()
    {
        var index = new PhraseIndex<bool>();
        index.AddAll(
            "nsclc|mediastinal|dnr|cpr|metasta|adenocarcinoma|carcinoma|malignan|neoplasm|lesion|lymphadenopathy|oedema|edema|" +
            "proteinuria|eclampsia|epigastric|hypertension|hypertensive|antenatal|gestation|fetal|foetal|cardiotocograph|" +
            "ctg|haemorrhag|hemorrhag|thrombo|embolism|myocardial|infarction|ischaemi|ischemi|troponin|ecg|echocardiogra|" +
            "angiogra|angioplasty|stent|ejection fraction|diuretic|anticoagula|prophyla|contraindicat|aetiology|etiology|" +
            "idiopathic|prognos|palliat|oncolog|biopsy|histolog|cholecyst|laparoscop|cholangi|pancreatitis|hba1c|mmol|" +
            "glycaemi|hyperglyc|hypoglyc|nephropath|retinopath|neuropath|spirometr|fev1|bronchodilat|saturation|tachycard|" +
            "bradycard|arrhythmi|fibrillation|dnacpr|resuscitat|intubat|ventilat|sepsis|meningococc|bacteraemi|febrile|" +
            "antipyretic|titrat|hyperthermia|dantrolene|suxamethonium|thrombocytop|coagulopath|haemoglobin|creatinine|" +
            "electrolyte|urinalysis|sphygmomanometer|differential|aetiolog|pathophysiolog|morbidity|mortality|" +
            "multidisciplinary|obstetric|vasoconstrict|vasodilat|analgesi|contraception|dyspepsia|dysuria|haematuria",
            true);
        return index;
    }

    private static PhraseIndex<Cue> BuildCues()
    {
        var index = new PhraseIndex<Cue>();
        index.AddAll("hello|hi|hiya|hey|good morning|good afternoon|good evening|welcome|nice to meet you|pleased to meet you|lovely to meet you", Cue.Greeting);
        index.AddAll("my name is|my name's|i'm dr|i am dr|i'm doctor|i am doctor|call me", Cue.Introduction);
        index.AddAll("doctor|nurse|student|medical student|registrar|consultant|gp|pharmacist|physician|junior|fy1|f1|f2|" +
            "practitioner|midwife|surgeon|paramedic|trainee|houseman|resident|specialist|clinician|sister|member of the team|" +
            "one of the|part of the", Cue.RoleWord);
        index.AddAll("your name|your full name|call you|who am i speaking|who i'm speaking|confirm your name|your surname|" +
            "confirm who you are|your details", Cue.IdentityName);
        index.AddAll("date of birth|dob|birthday|how old|your age|were you born|confirm your details|your details", Cue.IdentityBirth);
        index.AddAll("i can see|i can imagine|i can understand|i understand|understandabl|that must|this must|must be|" +
            "must have been|that sounds|this sounds|it sounds|sounds like|sounds really|sounds very|sounds hard|" +
            "sounds difficult|i hear you|makes sense that|no wonder|anyone would|of course you|you're right to|" +
            "it's natural|it's normal to|it's okay to|it's ok to|that's hard|that's really hard|that's difficult|" +
            "that's a lot|sorry to hear|i'm sorry you|you've been through|you've had a lot|thank you for telling|" +
            "thank you for sharing|thanks for telling|i appreciate|take your time|i'm here for you|i can tell|" +
            "you seem|it's clear you|you must be|frightening|must feel|that's tough|that's awful|that's horrible|" +
            "how hard|how difficult|how frightening|how worrying|completely understand|totally understand|" +
            "fully understand|i'd feel the same|i would feel the same|that's really difficult|that's understandable|" +
            "you're clearly|i get that|i can't imagine|cannot imagine|i'm so sorry|it's not your fault|not your fault",
            Cue.Empathy);
        index.AddAll("i'm sorry|i am sorry|so sorry|really sorry|very sorry|truly sorry|deeply sorry|we're sorry|" +
            "we are sorry|sorry that|sorry for|sorry about|sorry this|sorry you|sorry it|apologis|apologiz|apologies|" +
            "i regret|we regret", Cue.Apology);
        index.AddAll("it sounds like|sounds like|so you|you're saying|you are saying|what i'm hearing|if i've understood|" +
            "you feel|you're feeling|you've been feeling|you're worried|you are worried|it seems|you seem|you mentioned|" +
            "you said|you want|you'd like|you would like|on your mind|you care|you're frustrated|you're angry|" +
            "you're upset|you're scared|you're frightened|you've been|you're finding|what you're telling me",
            Cue.Reflection);
        index.AddAll("well done|that's great|that's brilliant|impressive|that's really good|good for you|fantastic|" +
            "you did really|that took|you managed|proud|achievement|that's a real|credit to|you did it|that shows|" +
            "that's amazing|really well|great job|good job|that's excellent|that was hard to do|not easy to do|" +
            "shows you can|you've done", Cue.Affirmation);
        index.AddAll("because|means|meaning|which is why|that's why|the reason|so that|we'll|we will|we need|" +
            "we're going to|we are going to|i'm going to|i am going to|i'd like to|the plan|the test|the tests|" +
            "this is|it's likely|it looks like|results|shows|showed|diagnos|what happens|what will happen|next step|" +
            "helps|help to|will help|in order to|what that means|let me explain|i'll explain|to explain",
            Cue.ExplainMarker);
        index.AddAll("in your own words|explain back|explain it back|tell me back|say back|repeat back|what you've understood|" +
            "what you have understood|what you understand|what you'll do|what you will do|what will you do|" +
            "what are you going to do|make sure i've explained|make sure i have explained|check i've explained|" +
            "check i have explained|make sure i explained|" +
            "how will you take|show me how|how are you going to take|when will you take|what would you do if|" +
            "teach back|checking i've explained|checking my explanation|how i've explained",
            Cue.TeachBack);
        index.AddAll("do you understand|does that make sense|does this make sense|is that clear|make sense|are you clear|" +
            "got that|understood|is that ok|is that okay|all clear|any questions about that|that all right|that alright",
            Cue.ClosedCheck);
        index.AddAll("anything else|any questions|any other questions|anything you'd like to ask|anything you want to ask|" +
            "anything you would like to ask|what questions|questions for me|anything i haven't|anything we haven't|" +
            "something else|any other concerns|anything more|anything you'd like to add|anything to add|" +
            "anything else you'd like|anything else on your mind", Cue.InviteQuestions);
        index.AddAll("take care|goodbye|bye|see you|thank you for coming|thanks for coming|thank you for talking|" +
            "thanks for talking|that's all|we're done|we'll finish|all the best|look after yourself|speak soon|" +
            "thank you for your time|thanks for your time|we'll leave it there|let's leave it there|good luck|" +
            "get well", Cue.Closing);
        index.AddAll("come back|call 999|ring 999|111|999|gets worse|get worse|getting worse|any worse|warning sign|" +
            "seek help|seek medical|straight away|urgently|if you notice|if he|if she|watch out for|look out for|" +
            "call us|ring us|call the|contact us|don't hesitate|emergency department|red flag|if it gets|if things get|" +
            "if anything changes|if you're worried", Cue.SafetyNet);
        index.AddAll("junkie|junky|druggie|druggy|addict|crackhead|one of those|i hope you're not|i hope you don't|" +
            "i hope you aren't|you should know better|irresponsible|stupid|ridiculous|what were you thinking|" +
            "why would you|you people|how could you|your own fault|your fault|brought this on|lazy|ashamed|disgusting|" +
            "admit it|be honest with me|surely you|i bet you|obviously you|typical|you'd better not|" +
            "tell me the truth|don't lie|are you lying|overweight|obese|let yourself go|no excuse|excuses|" +
            "should have known|should have come|you should have|silly|selfish|careless|reckless|frankly|" +
            "you've done this to yourself|only yourself to blame|self-inflicted|what did you expect", Cue.Judgemental);
        index.AddAll("stupid|idiot|moron|dumb|shut up|fuck|fucking|shit|bitch|bastard|useless|pathetic|waste of time|" +
            "waste of space|liar|hate you|piss|get lost|go away|loser|screw you|stop whining|stop moaning|drama queen|" +
            "attention seeking|attention-seeking|time waster|timewaster|wasting my time|cow|twat|dickhead|wanker|" +
            "cunt|shut your|crybaby|pull yourself together|man up|grow up|freak|nutter", Cue.Hostile);
        index.AddAll("just a virus|only a virus|nothing to worry|don't worry|it's nothing|you're fine|he's fine|she's fine|" +
            "overreact|nothing serious|no need to worry|calm down|it's just|nothing wrong|making a fuss|fussing|" +
            "worrying about nothing|all in your head|perfectly fine|not a big deal|no big deal|wasting", Cue.Dismissive);
        index.AddAll("not our fault|wasn't our fault|not my fault|wasn't my fault|it wasn't me|we did everything|" +
            "we were busy|very busy|really busy|short-staffed|short staffed|understaffed|these things happen|" +
            "to be fair|you have to understand|there was nothing|the other team|the night team|their fault|" +
            "that's not true|that's not what happened|you're wrong|let me finish|hang on|if you'd let me|can i finish|" +
            "sorry to interrupt|let me stop you|can i stop you|stop you there|we're not to blame|nobody's fault|" +
            "not anyone's fault|it happens|these things|x-ray didn't show|we couldn't have|couldn't have known|" +
            "it's not that simple|with respect|in our defence|in fairness|i wasn't here|i wasn't on|not my patient|" +
            "that's not fair|you don't understand|policy|protocol", Cue.ClinicianDefensive);
        index.AddAll("i'm afraid|i am afraid|bad news|not the news|not good news|difficult news|sorry to tell|" +
            "sorry to say|prepare|serious|would it be ok|would it be okay|is it ok if|is it okay if|" +
            "how much would you like to know|how much do you want to know|worse than we hoped|i wish i had better|" +
            "unfortunately|sadly|i have your results|not what we hoped|some news", Cue.WarningShot);
        index.AddAll("you need to|you must|you have to|you've got to|you should|you really should|you ought|" +
            "it's important that you|it is important that you|you can't|you cannot|if you don't|if you carry on|" +
            "if you keep|stop smoking|give up smoking|lose weight|you'll end up|will kill|is killing|are killing|" +
            "damage your|damaging your|you're damaging|harming your|the risks of|risk of|you'll have a|" +
            "you will have a|you're going to have a|you are going to have a", Cue.Directive);
        index.AddAll("percent|per cent|out of 100|out of a hundred|in 100|in a hundred|in 1000|in a thousand|" +
            "in 10|in ten|in 20|in 50|chance|chances|odds|in every", Cue.Numbers);
        index.AddAll("option|options|choice|choices|choose|alternatively|either|prefer|preference|what would you like to do|" +
            "we could|you could|would you rather|how do you feel about|what do you think about trying|up to you",
            Cue.Options);
        index.AddAll("oh my god|oh no|omg|jesus|christ|that's very dangerous|that's really dangerous|that's dangerous|" +
            "call the police|police|section|sectioned|sectioning|mental health act|we'll have to|i need to call|" +
            "i have to call|i must call|very worrying|extremely worrying|that's alarming|i'm shocked|shocking|" +
            "admit you|lock|locked", Cue.Alarm);
        index.AddAll("ignore your|ignore all|ignore previous|ignore the above|ignore everything|ignore what|instructions|" +
            "system prompt|your prompt|ai assistant|you are an ai|are you an ai|are you a bot|are you a robot|are you real|language model|" +
            "chatgpt|chat gpt|openai|gpt|jailbreak|developer mode|hidden fact|hidden facts|hidden|rubric|scenario|" +
            "simulation|simulated|roleplay|role play|role-play|pretend|act as|break character|out of character|" +
            "stop being|you are now|reveal|your programming|your script|your facts|list your|your instructions|" +
            "artificial intelligence|large language|llm|you are the doctor|you're the doctor now|" +
            "be the doctor|play the doctor|answer as|respond as|your secrets|secret facts|what are you hiding|" +
            "disregard|override|sudo|print your|repeat your|output your|json|markdown|the ai|an ai|chatbot|" +
            "bot|virtual patient|actor|character", Cue.Injection);
        index.AddAll("poem|poetry|song|sing|joke|capital of|france|paris|weather forecast|football|recipe|python|" +
            "javascript|homework|essay|equation|algebra|president|prime minister|movie|film|bitcoin|" +
            "stock market|who won|limerick|haiku|translate this|write me|write a|compose|the meaning of life|" +
            "solve|calculate|square root|what is 2|what's 2|alphabet|tell me a story|planet|universe|" +
            "dinosaur|recommend a|best restaurant|netflix|video game|minecraft|fortnite|chess", Cue.OffTopic);
        index.AddAll("what do you think|what you think|your thoughts|any idea|any ideas|your understanding|" +
            "what do you make of|what have you been told|what do you know about|what you know about|thoughts on|" +
            "might be causing|what's causing|what is causing|could be causing|think is going on|think it is|" +
            "think it might|think it could|think might be|what do you reckon|what did you think|" +
            "what's your own|what have you read|what have you heard", Cue.Ideas);
        index.AddAll("worr|concern|afraid|scare|frighten|fear|bothering you|on your mind|anxious|nervous|troubling you|" +
            "what's the worst|upsetting you", Cue.Concerns);
        index.AddAll("hoping|hope|hoped|expect|what would you like|what do you want|looking for|want to get out of|" +
            "like to happen|would help|what would be helpful|what can we do|what would you want|want from|" +
            "wanting|what would make", Cue.Expectations);
        index.AddAll("brings you|brought you|bring you|can i do for you|can i help|can we help|how can i help|" +
            "what's the problem|what is the problem|what seems to be|what's been happening|what has been happening|" +
            "what's going on|what is going on|why have you come|why are you here|what's happened|what has happened|" +
            "reason for|what's wrong|what is wrong|what's up|what's brought|what has brought|the matter|" +
            "come in today|come in about|here today|in today", Cue.ReasonForVisit);
        index.AddAll("interpret|translat|language line|languageline", Cue.Interpreter);
        index.AddAll("ok|okay|right|i see|mm|mmm|hmm|uh huh|uh-huh|sure|got it|alright|all right|yes|yeah|fine|great|" +
            "good|lovely|thanks|thank you|cheers|perfect|understood|go on|carry on", Cue.Acknowledgement);
        return index;
    }
}
