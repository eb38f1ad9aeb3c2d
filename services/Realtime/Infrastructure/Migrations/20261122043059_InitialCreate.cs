using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PracticePlatform.Realtime.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "session_messages",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    practice_session_id = table.Column<Guid>(type: "uuid", nullable: false),
                    seq = table.Column<long>(type: "bigint", nullable: false),
                    speaker = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    text = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    client_message_id = table.Column<Guid>(type: "uuid", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_session_messages", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_session_messages_practice_session_id_client_message_id",
                table: "session_messages",
                columns: new[] { "practice_session_id", "client_message_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_session_messages_practice_session_id_seq",
                table: "session_messages",
                columns: new[] { "practice_session_id", "seq" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "session_messages");
        }
    }
}
