using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PracticePlatform.Sessions.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class SessionOwnership : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "institution_id",
                table: "practice_sessions",
                type: "uuid",
                nullable: true);

            // Rows from before ownership was recorded belong to no learner (Guid.Empty): only platform admins read them.
            migrationBuilder.AddColumn<Guid>(
                name: "learner_id",
                table: "practice_sessions",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.CreateIndex(
                name: "IX_practice_sessions_institution_id_learner_id",
                table: "practice_sessions",
                columns: new[] { "institution_id", "learner_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_practice_sessions_institution_id_learner_id",
                table: "practice_sessions");

            migrationBuilder.DropColumn(
                name: "institution_id",
                table: "practice_sessions");

            migrationBuilder.DropColumn(
                name: "learner_id",
                table: "practice_sessions");
        }
    }
}
