using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PracticePlatform.Users.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class CohortEducatorsAndJoinCodes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "join_code",
                table: "cohorts",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "cohort_educators",
                columns: table => new
                {
                    cohort_id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    assigned_by = table.Column<Guid>(type: "uuid", nullable: true),
                    assigned_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cohort_educators", x => new { x.cohort_id, x.user_id });
                    table.ForeignKey(
                        name: "FK_cohort_educators_cohorts_cohort_id",
                        column: x => x.cohort_id,
                        principalTable: "cohorts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_cohort_educators_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_cohorts_join_code",
                table: "cohorts",
                column: "join_code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cohort_educators_user_id",
                table: "cohort_educators",
                column: "user_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "cohort_educators");

            migrationBuilder.DropIndex(
                name: "IX_cohorts_join_code",
                table: "cohorts");

            migrationBuilder.DropColumn(
                name: "join_code",
                table: "cohorts");
        }
    }
}
