using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PracticePlatform.Realtime.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class LiveKit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "livekit_rooms",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    practice_session_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    sid = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    mode = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_livekit_rooms", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "livekit_webhook_events",
                columns: table => new
                {
                    event_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    @event = table.Column<string>(name: "event", type: "character varying(100)", maxLength: 100, nullable: false),
                    room_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    processed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_livekit_webhook_events", x => x.event_id);
                });

            migrationBuilder.CreateTable(
                name: "livekit_participants",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    room_id = table.Column<Guid>(type: "uuid", nullable: false),
                    identity = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    sid = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    joined_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    left_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    token_issued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_livekit_participants", x => x.id);
                    table.ForeignKey(
                        name: "FK_livekit_participants_livekit_rooms_room_id",
                        column: x => x.room_id,
                        principalTable: "livekit_rooms",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_livekit_participants_room_id_identity",
                table: "livekit_participants",
                columns: new[] { "room_id", "identity" });

            migrationBuilder.CreateIndex(
                name: "IX_livekit_participants_sid",
                table: "livekit_participants",
                column: "sid");

            migrationBuilder.CreateIndex(
                name: "IX_livekit_rooms_name",
                table: "livekit_rooms",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_livekit_rooms_practice_session_id",
                table: "livekit_rooms",
                column: "practice_session_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_livekit_webhook_events_processed_at",
                table: "livekit_webhook_events",
                column: "processed_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "livekit_participants");

            migrationBuilder.DropTable(
                name: "livekit_webhook_events");

            migrationBuilder.DropTable(
                name: "livekit_rooms");
        }
    }
}
