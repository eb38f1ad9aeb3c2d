using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PracticePlatform.Sessions.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class SessionLifecycle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "last_activity_at",
                table: "practice_sessions",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            // Sessions from before activity was recorded were last active when they started or ended, not in year 1
            // (which would have the abandonment job close every active one at once).
            migrationBuilder.Sql("UPDATE practice_sessions SET last_activity_at = COALESCE(ended_at, started_at);");

            migrationBuilder.CreateTable(
                name: "session_activities",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    session_id = table.Column<Guid>(type: "uuid", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    detail = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_session_activities", x => x.id);
                    table.CheckConstraint("ck_session_activities_kind", "kind IN ('started', 'conversation', 'completed', 'abandoned')");
                    table.ForeignKey(
                        name: "FK_session_activities_practice_sessions_session_id",
                        column: x => x.session_id,
                        principalTable: "practice_sessions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_practice_sessions_last_activity_at",
                table: "practice_sessions",
                column: "last_activity_at",
                filter: "status = 'Active'");

            migrationBuilder.CreateIndex(
                name: "IX_session_activities_session_id_at",
                table: "session_activities",
                columns: new[] { "session_id", "at" });

            // Their activity log starts with what is known: the start and, for completed sessions, the end.
            migrationBuilder.Sql("""
                INSERT INTO session_activities (id, session_id, at, kind)
                SELECT gen_random_uuid(), id, started_at, 'started' FROM practice_sessions
                UNION ALL
                SELECT gen_random_uuid(), id, ended_at, lower(status) FROM practice_sessions
                WHERE ended_at IS NOT NULL AND status IN ('Completed', 'Abandoned');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "session_activities");

            migrationBuilder.DropIndex(
                name: "IX_practice_sessions_last_activity_at",
                table: "practice_sessions");

            migrationBuilder.DropColumn(
                name: "last_activity_at",
                table: "practice_sessions");
        }
    }
}
