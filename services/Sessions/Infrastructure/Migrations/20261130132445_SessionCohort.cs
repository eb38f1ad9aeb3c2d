using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PracticePlatform.Sessions.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class SessionCohort : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "cohort_id",
                table: "practice_sessions",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_practice_sessions_cohort_id_started_at",
                table: "practice_sessions",
                columns: new[] { "cohort_id", "started_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_practice_sessions_cohort_id_started_at",
                table: "practice_sessions");

            migrationBuilder.DropColumn(
                name: "cohort_id",
                table: "practice_sessions");
        }
    }
}
