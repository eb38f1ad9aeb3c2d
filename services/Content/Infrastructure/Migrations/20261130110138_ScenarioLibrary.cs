using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NpgsqlTypes;

#nullable disable

namespace PracticePlatform.Content.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class ScenarioLibrary : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The three placeholder scenarios of the first version are replaced by the seed library, which the
            // service publishes at start-up; nothing else was ever stored in this table.
            migrationBuilder.Sql("DELETE FROM scenarios;");

            migrationBuilder.DropColumn(
                name: "clinical_area",
                table: "scenarios");

            migrationBuilder.DropColumn(
                name: "difficulty",
                table: "scenarios");

            migrationBuilder.DropColumn(
                name: "framework",
                table: "scenarios");

            migrationBuilder.DropColumn(
                name: "summary",
                table: "scenarios");

            migrationBuilder.DropColumn(
                name: "title",
                table: "scenarios");

            migrationBuilder.RenameColumn(
                name: "version",
                table: "scenarios",
                newName: "rating_sum");

            migrationBuilder.RenameColumn(
                name: "published_at",
                table: "scenarios",
                newName: "created_at");

            migrationBuilder.RenameColumn(
                name: "estimated_minutes",
                table: "scenarios",
                newName: "rating_count");

            migrationBuilder.AddColumn<Guid>(
                name: "created_by",
                table: "scenarios",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "draft",
                table: "scenarios",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "draft_revision",
                table: "scenarios",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "draft_updated_at",
                table: "scenarios",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "draft_updated_by",
                table: "scenarios",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "institution_id",
                table: "scenarios",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "latest_version",
                table: "scenarios",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "seed_hash",
                table: "scenarios",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "slug",
                table: "scenarios",
                type: "character varying(80)",
                maxLength: 80,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "media_files",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    scenario_id = table.Column<Guid>(type: "uuid", nullable: false),
                    institution_id = table.Column<Guid>(type: "uuid", nullable: true),
                    attached_to = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    kind = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    content_type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    length = table.Column<long>(type: "bigint", nullable: false),
                    sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    original_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    description = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    storage_path = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    uploaded_by = table.Column<Guid>(type: "uuid", nullable: true),
                    uploaded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_media_files", x => x.id);
                    table.ForeignKey(
                        name: "FK_media_files_scenarios_scenario_id",
                        column: x => x.scenario_id,
                        principalTable: "scenarios",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "scenario_ratings",
                columns: table => new
                {
                    scenario_id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    institution_id = table.Column<Guid>(type: "uuid", nullable: true),
                    stars = table.Column<int>(type: "integer", nullable: false),
                    rated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_scenario_ratings", x => new { x.scenario_id, x.user_id });
                    table.CheckConstraint("ck_scenario_ratings_stars", "stars BETWEEN 1 AND 5");
                    table.ForeignKey(
                        name: "FK_scenario_ratings_scenarios_scenario_id",
                        column: x => x.scenario_id,
                        principalTable: "scenarios",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "scenario_versions",
                columns: table => new
                {
                    scenario_id = table.Column<Guid>(type: "uuid", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    institution_id = table.Column<Guid>(type: "uuid", nullable: true),
                    is_latest = table.Column<bool>(type: "boolean", nullable: false),
                    slug = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    title = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    summary = table.Column<string>(type: "character varying(600)", maxLength: 600, nullable: false),
                    clinical_area = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    setting = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    difficulty = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    framework = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    estimated_minutes = table.Column<int>(type: "integer", nullable: false),
                    tags = table.Column<string[]>(type: "text[]", nullable: false),
                    focus_items = table.Column<string[]>(type: "text[]", nullable: false),
                    search_text = table.Column<string>(type: "text", nullable: false),
                    search_vector = table.Column<NpgsqlTsVector>(type: "tsvector", nullable: false, computedColumnSql: "setweight(to_tsvector('english'::regconfig, title), 'A') || setweight(to_tsvector('english'::regconfig, summary || ' ' || replace(slug, '-', ' ')), 'B') || setweight(to_tsvector('english'::regconfig, search_text), 'C')", stored: true),
                    document = table.Column<string>(type: "jsonb", nullable: false),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    published_by = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_scenario_versions", x => new { x.scenario_id, x.version });
                    table.ForeignKey(
                        name: "FK_scenario_versions_scenarios_scenario_id",
                        column: x => x.scenario_id,
                        principalTable: "scenarios",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_scenarios_institution_id_slug",
                table: "scenarios",
                columns: new[] { "institution_id", "slug" },
                unique: true)
                .Annotation("Npgsql:NullsDistinct", false);

            migrationBuilder.CreateIndex(
                name: "IX_media_files_scenario_id",
                table: "media_files",
                column: "scenario_id");

            migrationBuilder.CreateIndex(
                name: "IX_scenario_versions_is_latest_institution_id",
                table: "scenario_versions",
                columns: new[] { "is_latest", "institution_id" });

            migrationBuilder.CreateIndex(
                name: "IX_scenario_versions_search_vector",
                table: "scenario_versions",
                column: "search_vector")
                .Annotation("Npgsql:IndexMethod", "GIN");

            migrationBuilder.CreateIndex(
                name: "IX_scenario_versions_tags",
                table: "scenario_versions",
                column: "tags")
                .Annotation("Npgsql:IndexMethod", "GIN");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "media_files");

            migrationBuilder.DropTable(
                name: "scenario_ratings");

            migrationBuilder.DropTable(
                name: "scenario_versions");

            migrationBuilder.DropIndex(
                name: "IX_scenarios_institution_id_slug",
                table: "scenarios");

            migrationBuilder.DropColumn(
                name: "created_by",
                table: "scenarios");

            migrationBuilder.DropColumn(
                name: "draft",
                table: "scenarios");

            migrationBuilder.DropColumn(
                name: "draft_revision",
                table: "scenarios");

            migrationBuilder.DropColumn(
                name: "draft_updated_at",
                table: "scenarios");

            migrationBuilder.DropColumn(
                name: "draft_updated_by",
                table: "scenarios");

            migrationBuilder.DropColumn(
                name: "institution_id",
                table: "scenarios");

            migrationBuilder.DropColumn(
                name: "latest_version",
                table: "scenarios");

            migrationBuilder.DropColumn(
                name: "seed_hash",
                table: "scenarios");

            migrationBuilder.DropColumn(
                name: "slug",
                table: "scenarios");

            migrationBuilder.RenameColumn(
                name: "rating_sum",
                table: "scenarios",
                newName: "version");

            migrationBuilder.RenameColumn(
                name: "rating_count",
                table: "scenarios",
                newName: "estimated_minutes");

            migrationBuilder.RenameColumn(
                name: "created_at",
                table: "scenarios",
                newName: "published_at");

            migrationBuilder.AddColumn<string>(
                name: "clinical_area",
                table: "scenarios",
                type: "character varying(100)",
                maxLength: 100,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "difficulty",
                table: "scenarios",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "framework",
                table: "scenarios",
                type: "character varying(100)",
                maxLength: 100,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "summary",
                table: "scenarios",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "title",
                table: "scenarios",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                defaultValue: "");
        }
    }
}
