using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PracticePlatform.Ai.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class SimulatedPatient : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "patient_reply_usage",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    practice_session_id = table.Column<Guid>(type: "uuid", nullable: false),
                    learner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    institution_id = table.Column<Guid>(type: "uuid", nullable: true),
                    scenario_id = table.Column<Guid>(type: "uuid", nullable: false),
                    scenario_version = table.Column<int>(type: "integer", nullable: false),
                    provider = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    model = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    intent = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    latency_ms = table.Column<double>(type: "double precision", nullable: false),
                    input_tokens = table.Column<int>(type: "integer", nullable: false),
                    output_tokens = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_patient_reply_usage", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "scenario_snapshots",
                columns: table => new
                {
                    scenario_id = table.Column<Guid>(type: "uuid", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    institution_id = table.Column<Guid>(type: "uuid", nullable: true),
                    title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    document = table.Column<string>(type: "jsonb", nullable: false),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_scenario_snapshots", x => new { x.scenario_id, x.version });
                });

            migrationBuilder.CreateIndex(
                name: "IX_patient_reply_usage_institution_id_created_at",
                table: "patient_reply_usage",
                columns: new[] { "institution_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "IX_patient_reply_usage_practice_session_id",
                table: "patient_reply_usage",
                column: "practice_session_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "patient_reply_usage");

            migrationBuilder.DropTable(
                name: "scenario_snapshots");
        }
    }
}
