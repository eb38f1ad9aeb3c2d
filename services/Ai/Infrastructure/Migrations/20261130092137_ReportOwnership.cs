using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PracticePlatform.Ai.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class ReportOwnership : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "institution_id",
                table: "feedback_reports",
                type: "uuid",
                nullable: true);

            // Rows from before ownership was recorded belong to no learner (Guid.Empty): only platform admins read them.
            migrationBuilder.AddColumn<Guid>(
                name: "learner_id",
                table: "feedback_reports",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "institution_id",
                table: "feedback_reports");

            migrationBuilder.DropColumn(
                name: "learner_id",
                table: "feedback_reports");
        }
    }
}
