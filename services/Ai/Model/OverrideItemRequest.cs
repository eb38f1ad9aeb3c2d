using System.ComponentModel.DataAnnotations;

namespace PracticePlatform.Ai.Model;

/// <summary>An educator's correction of one report item: <see cref="Present"/> or <see cref="Score"/> (0 to 1; both
/// may be sent if they agree) and why.</summary>
public sealed record OverrideItemRequest : IValidatableObject
{
    public const int MaxReasonLength = 1000;

    public bool? Present { get; init; }

    public double? Score { get; init; }

    public string? Reason { get; init; }

    public bool EffectivePresent => Present ?? Score >= 0.5;

    public double EffectiveScore => Score ?? (Present == true ? 1 : 0);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Present is null && Score is null)
        {
            yield return new ValidationResult("Say what the item should be: present (true or false) or score (0 to 1).", [nameof(Present), nameof(Score)]);
        }

        if (Score is { } score && (double.IsNaN(score) || score is < 0 or > 1))
        {
            yield return new ValidationResult("A score is between 0 and 1.", [nameof(Score)]);
        }
        else if (Present is { } present && Score is { } given && present != given >= 0.5)
        {
            yield return new ValidationResult("present and score disagree: a score of 0.5 or more is present.", [nameof(Present), nameof(Score)]);
        }

        if (string.IsNullOrWhiteSpace(Reason) || Reason.Trim().Length is < 3 or > MaxReasonLength)
        {
            yield return new ValidationResult($"A reason of 3 to {MaxReasonLength} characters is required: the learner reads it and the audit log keeps it.", [nameof(Reason)]);
        }
    }
}
