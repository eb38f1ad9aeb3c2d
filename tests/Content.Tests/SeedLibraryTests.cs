using System.ComponentModel.DataAnnotations;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PracticePlatform.Content.Infrastructure;
using PracticePlatform.Content.Model;

namespace PracticePlatform.Content.Tests;

public sealed class SeedLibraryTests
{
    private static readonly IReadOnlyList<ScenarioDocument> Library = SeedLibrary.Load();

    [Fact]
    public void Library_has_at_least_twelve_scenarios()
    {
        Library.Should().HaveCountGreaterThanOrEqualTo(12);
    }

    [Fact]
    public void Every_document_is_valid()
    {
        var failures = new List<string>();
        foreach (var doc in Library)
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(doc, new ValidationContext(doc), results, validateAllProperties: true);
            results.AddRange(doc.Validate(new ValidationContext(doc)));
            failures.AddRange(results.Select(r => $"{doc.Slug}: {r.ErrorMessage}"));
        }

        failures.Should().BeEmpty("every seed scenario must validate, but: {0}", string.Join("; ", failures));
    }

    [Fact]
    public void Slugs_are_unique()
    {
        Library.Select(d => d.Slug).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Library_spans_areas_frameworks_and_difficulties()
    {
        Library.Select(d => d.ClinicalArea).Distinct().Should().HaveCountGreaterThanOrEqualTo(8);
        Library.Select(d => d.Framework).Distinct().Should().HaveCountGreaterThanOrEqualTo(5);
        Library.Select(d => d.Difficulty).Distinct().Should().BeEquivalentTo(
            [Difficulty.Foundation, Difficulty.Intermediate, Difficulty.Advanced]);
    }

    [Fact]
    public void Every_scenario_has_at_least_three_hidden_facts_that_stay_hidden()
    {
        var failures = new List<string>();
        foreach (var doc in Library)
        {
            if (doc.Persona.HiddenFacts.Count < 3)
            {
                failures.Add($"{doc.Slug}: only {doc.Persona.HiddenFacts.Count} hidden facts");
            }

            var visible = new[] { doc.Summary, doc.Persona.Background, doc.Persona.PresentingComplaint, doc.Flow.OpeningLine }
                .Concat(doc.Persona.Phrases)
                .ToList();
            foreach (var fact in doc.Persona.HiddenFacts)
            {
                if (visible.Any(v => v.Contains(fact.Fact, StringComparison.OrdinalIgnoreCase)))
                {
                    failures.Add($"{doc.Slug}: hidden fact '{fact.Code}' appears in visible text");
                }
            }
        }

        failures.Should().BeEmpty(string.Join("; ", failures));
    }

    [Fact]
    public void Hidden_fact_triggers_are_lower_case()
    {
        var failures = Library
            .SelectMany(d => d.Persona.HiddenFacts.SelectMany(f => f.Triggers
                .Where(t => string.IsNullOrWhiteSpace(t) || t.Any(char.IsUpper))
                .Select(t => $"{d.Slug}/{f.Code}: '{t}'")))
            .ToList();

        failures.Should().BeEmpty(string.Join("; ", failures));
    }

    [Fact]
    public void Content_item_codes_never_collide_with_consultation_essentials()
    {
        var collisions = Library
            .SelectMany(d => d.ContentItems.Where(i => ConsultationEssentials.Codes.Contains(i.Code)).Select(i => $"{d.Slug}/{i.Code}"))
            .ToList();

        collisions.Should().BeEmpty(string.Join("; ", collisions));
    }

    [Fact]
    public void Exactly_one_scenario_has_limited_english()
    {
        var limited = Library.Where(d => d.Persona.EnglishProficiency == "limited").ToList();

        limited.Should().ContainSingle();
        limited[0].Persona.PreferredLanguage.Should().NotBe("English");
    }

    [Fact]
    public void Unknown_property_is_rejected_by_the_options()
    {
        const string json = """{ "name": "Ramipril", "dose": "5 mg once daily", "dosage": "typo" }""";

        var act = () => JsonSerializer.Deserialize<MedicationDocument>(json, SeedLibrary.JsonOptions);

        act.Should().Throw<JsonException>().WithMessage("*dosage*");
    }

    [Fact]
    public void Scenario_with_unknown_property_fails_to_load_naming_the_file()
    {
        var node = JsonSerializer.SerializeToNode(Library[0], SeedLibrary.JsonOptions)!.AsObject();
        node["clinicalAreaa"] = "oncology";
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(node.ToJsonString()));

        var act = () => SeedLibrary.Parse("SeedLibrary/typo.json", stream);

        act.Should().Throw<InvalidOperationException>().WithMessage("*typo.json*clinicalAreaa*");
    }

    [Fact]
    public void A_round_trip_through_the_options_keeps_the_document_loadable()
    {
        var json = JsonSerializer.Serialize(Library[0], SeedLibrary.JsonOptions);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));

        var doc = SeedLibrary.Parse("round-trip.json", stream);

        doc.Slug.Should().Be(Library[0].Slug);
        json.Should().Contain("\"difficulty\":\"").And.NotContain("\"Difficulty\"");
    }

    [Fact]
    public void Integer_difficulty_is_rejected()
    {
        var node = JsonSerializer.SerializeToNode(Library[0], SeedLibrary.JsonOptions)!.AsObject();
        node["difficulty"] = 1;

        var act = () => node.Deserialize<ScenarioDocument>(SeedLibrary.JsonOptions);

        act.Should().Throw<JsonException>();
    }
}
