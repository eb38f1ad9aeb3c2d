using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PracticePlatform.Ai.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class OutboxDeletesSentRows : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Rows already sent would otherwise be sent again: from now on the relay deletes a row once it is sent.
            migrationBuilder.Sql("DELETE FROM outbox_messages WHERE published_at IS NOT NULL;");

            migrationBuilder.DropIndex(
                name: "ix_outbox_messages_unpublished",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "published_at",
                table: "outbox_messages");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "published_at",
                table: "outbox_messages",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_unpublished",
                table: "outbox_messages",
                column: "sequence",
                filter: "published_at IS NULL");
        }
    }
}
