using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PracticePlatform.Ai.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class FeedbackReportsPipeline : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "comparison",
                table: "feedback_reports",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "failure_reason",
                table: "feedback_reports",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "goals",
                table: "feedback_reports",
                type: "jsonb",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "items",
                table: "feedback_reports",
                type: "jsonb",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<int>(
                name: "revision",
                table: "feedback_reports",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<Guid>(
                name: "scenario_id",
                table: "feedback_reports",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<int>(
                name: "scenario_version",
                table: "feedback_reports",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "session_ended_at",
                table: "feedback_reports",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            migrationBuilder.AddColumn<string>(
                name: "strengths",
                table: "feedback_reports",
                type: "jsonb",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<uint>(
                name: "xmin",
                table: "feedback_reports",
                type: "xid",
                rowVersion: true,
                nullable: false,
                defaultValue: 0u);

            migrationBuilder.CreateTable(
                name: "agent_executions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    agent = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    subject_id = table.Column<Guid>(type: "uuid", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    not_before = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    lease_owner = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    lease_expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    configuration = table.Column<string>(type: "jsonb", nullable: true),
                    last_error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_agent_executions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "feedback_overrides",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    report_id = table.Column<Guid>(type: "uuid", nullable: false),
                    practice_session_id = table.Column<Guid>(type: "uuid", nullable: false),
                    item_code = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    previous_present = table.Column<bool>(type: "boolean", nullable: false),
                    previous_score = table.Column<double>(type: "double precision", nullable: false),
                    present = table.Column<bool>(type: "boolean", nullable: false),
                    score = table.Column<double>(type: "double precision", nullable: false),
                    reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    educator_id = table.Column<Guid>(type: "uuid", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_feedback_overrides", x => x.id);
                    table.ForeignKey(
                        name: "FK_feedback_overrides_feedback_reports_report_id",
                        column: x => x.report_id,
                        principalTable: "feedback_reports",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "feedback_usage",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    execution_id = table.Column<Guid>(type: "uuid", nullable: false),
                    practice_session_id = table.Column<Guid>(type: "uuid", nullable: false),
                    learner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    institution_id = table.Column<Guid>(type: "uuid", nullable: true),
                    provider = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    model = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    input_tokens = table.Column<int>(type: "integer", nullable: false),
                    output_tokens = table.Column<int>(type: "integer", nullable: false),
                    latency_ms = table.Column<int>(type: "integer", nullable: false),
                    cost = table.Column<decimal>(type: "numeric(14,6)", precision: 14, scale: 6, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_feedback_usage", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "session_transcripts",
                columns: table => new
                {
                    practice_session_id = table.Column<Guid>(type: "uuid", nullable: false),
                    turns = table.Column<string>(type: "jsonb", nullable: false),
                    ended_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_session_transcripts", x => x.practice_session_id);
                });

            migrationBuilder.CreateTable(
                name: "agent_checkpoints",
                columns: table => new
                {
                    execution_id = table.Column<Guid>(type: "uuid", nullable: false),
                    step = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    state = table.Column<string>(type: "jsonb", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_agent_checkpoints", x => new { x.execution_id, x.step });
                    table.ForeignKey(
                        name: "FK_agent_checkpoints_agent_executions_execution_id",
                        column: x => x.execution_id,
                        principalTable: "agent_executions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_feedback_reports_learner_id_scenario_id_session_ended_at",
                table: "feedback_reports",
                columns: new[] { "learner_id", "scenario_id", "session_ended_at" });

            migrationBuilder.CreateIndex(
                name: "IX_agent_executions_agent_created_at",
                table: "agent_executions",
                columns: new[] { "agent", "created_at" },
                filter: "status IN ('Pending', 'Running')");

            migrationBuilder.CreateIndex(
                name: "IX_agent_executions_agent_subject_id",
                table: "agent_executions",
                columns: new[] { "agent", "subject_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_feedback_overrides_report_id",
                table: "feedback_overrides",
                column: "report_id");

            migrationBuilder.CreateIndex(
                name: "IX_feedback_usage_execution_id",
                table: "feedback_usage",
                column: "execution_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_feedback_usage_institution_id_created_at",
                table: "feedback_usage",
                columns: new[] { "institution_id", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "agent_checkpoints");

            migrationBuilder.DropTable(
                name: "feedback_overrides");

            migrationBuilder.DropTable(
                name: "feedback_usage");

            migrationBuilder.DropTable(
                name: "session_transcripts");

            migrationBuilder.DropTable(
                name: "agent_executions");

            migrationBuilder.DropIndex(
                name: "IX_feedback_reports_learner_id_scenario_id_session_ended_at",
                table: "feedback_reports");

            migrationBuilder.DropColumn(
                name: "comparison",
                table: "feedback_reports");

            migrationBuilder.DropColumn(
                name: "failure_reason",
                table: "feedback_reports");

            migrationBuilder.DropColumn(
                name: "goals",
                table: "feedback_reports");

            migrationBuilder.DropColumn(
                name: "items",
                table: "feedback_reports");

            migrationBuilder.DropColumn(
                name: "revision",
                table: "feedback_reports");

            migrationBuilder.DropColumn(
                name: "scenario_id",
                table: "feedback_reports");

            migrationBuilder.DropColumn(
                name: "scenario_version",
                table: "feedback_reports");

            migrationBuilder.DropColumn(
                name: "session_ended_at",
                table: "feedback_reports");

            migrationBuilder.DropColumn(
                name: "strengths",
                table: "feedback_reports");

            migrationBuilder.DropColumn(
                name: "xmin",
                table: "feedback_reports");
        }
    }
}
