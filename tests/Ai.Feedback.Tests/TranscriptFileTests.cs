namespace PracticePlatform.Ai.Feedback.Tests;

public sealed class TranscriptFileTests
{
    [Fact]
    public void A_transcript_is_read_with_unknown_members_and_timings_ignored()
    {
        var transcript = ConsultationTranscriptFile.Parse("""
            { "id": "t1", "source": "x", "extra": [1, 2],
              "turns": [ { "index": 0, "speaker": "clinician", "start": 1.5, "end": 2.0, "text": "Hello." },
                         { "index": 1, "speaker": "patient", "text": "Hi.", "confidence": 0.9 } ] }
            """);

        transcript.Id.Should().Be("t1");
        transcript.Turns.Should().Equal(new ConsultationTurn(0, "clinician", "Hello."), new ConsultationTurn(1, "patient", "Hi."));
    }

    [Fact]
    public void Malformed_json_is_a_readable_format_error()
    {
        var act = () => ConsultationTranscriptFile.Parse("{ \"id\": \"t1\", \"turns\": [ ");

        act.Should().Throw<FormatException>().WithMessage("Not valid JSON*");
    }

    [Fact]
    public void A_transcript_without_turns_is_a_format_error()
    {
        var act = () => ConsultationTranscriptFile.Parse("{ \"id\": \"t1\" }");

        act.Should().Throw<FormatException>().WithMessage("*turns*");
    }
}
