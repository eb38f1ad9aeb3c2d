using Microsoft.EntityFrameworkCore;

namespace PracticePlatform.Realtime.LiveKit;

/// <summary>How a LiveKit call carries the conversation: a text session has no call.</summary>
public enum LiveKitRoomMode
{
    Voice,
    Video,
}

/// <summary>The LiveKit room of one voice or video practice session. Realtime records it when the first join token is
/// issued; LiveKit itself creates the room when the first participant connects, and its webhooks fill in the rest.
/// </summary>
public sealed class LiveKitRoom
{
    public const int MaxNameLength = 100;
    public const int MaxSidLength = 100;

    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>The practice session (owned by the sessions service); one room per session.</summary>
    public Guid PracticeSessionId { get; init; }

    /// <summary>The LiveKit room name, <c>practice-{sessionId:N}</c>; unique.</summary>
    public required string Name { get; init; }

    /// <summary>LiveKit's id of the current instance of the room (<c>RM_…</c>), from <c>room_started</c>. A room that
    /// empties closes; joining again starts a new instance with a new sid.</summary>
    public string? Sid { get; set; }

    public LiveKitRoomMode Mode { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When LiveKit first started the room.</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>When LiveKit last closed the room; cleared when it starts again.</summary>
    public DateTimeOffset? FinishedAt { get; set; }

    public static string NameFor(Guid practiceSessionId) => $"practice-{practiceSessionId:N}";
}

/// <summary>One join token realtime issued for a room, and what LiveKit's webhooks said about its holder since: when
/// they last connected and left. A participant who reconnects with the same token updates the same row.</summary>
public sealed class LiveKitParticipant
{
    public const int MaxIdentityLength = 200;
    public const int MaxNameLength = 200;

    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid RoomId { get; init; }

    /// <summary>The token's <c>sub</c>, unique within the room at any moment; for a learner, the user id.</summary>
    public required string Identity { get; init; }

    /// <summary>The platform user the token was issued to.</summary>
    public Guid? UserId { get; init; }

    /// <summary>The display name written into the token.</summary>
    public required string Name { get; init; }

    /// <summary>LiveKit's id of the participant's connection (<c>PA_…</c>), from <c>participant_joined</c>.</summary>
    public string? Sid { get; set; }

    public DateTimeOffset? JoinedAt { get; set; }

    public DateTimeOffset? LeftAt { get; set; }

    public DateTimeOffset TokenIssuedAt { get; init; }
}

/// <summary>A LiveKit webhook event realtime has processed, so a redelivery or replay of it has no second effect.
/// </summary>
public sealed class LiveKitWebhookEvent
{
    public const int MaxEventIdLength = 100;
    public const int MaxEventLength = 100;

    /// <summary>LiveKit's event id (<c>EV_…</c>); unique.</summary>
    public required string EventId { get; init; }

    /// <summary>The event name, e.g. <c>participant_joined</c>.</summary>
    public required string Event { get; init; }

    public string? RoomName { get; init; }

    /// <summary>When the event happened, by LiveKit's clock.</summary>
    public DateTimeOffset OccurredAt { get; init; }

    public DateTimeOffset ProcessedAt { get; init; }
}

public static class LiveKitModelBuilderExtensions
{
    /// <summary>The tables of LiveKit rooms, participants and processed webhook events, named like the rest of
    /// realtime's (snake_case).</summary>
    public static ModelBuilder AddLiveKitTables(this ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        modelBuilder.Entity<LiveKitRoom>(room =>
        {
            room.ToTable("livekit_rooms");
            room.HasKey(r => r.Id);
            room.Property(r => r.Id).HasColumnName("id");
            room.Property(r => r.PracticeSessionId).HasColumnName("practice_session_id");
            room.Property(r => r.Name).HasColumnName("name").HasMaxLength(LiveKitRoom.MaxNameLength);
            room.Property(r => r.Sid).HasColumnName("sid").HasMaxLength(LiveKitRoom.MaxSidLength);
            room.Property(r => r.Mode).HasColumnName("mode").HasConversion<string>().HasMaxLength(20);
            room.Property(r => r.CreatedAt).HasColumnName("created_at");
            room.Property(r => r.StartedAt).HasColumnName("started_at");
            room.Property(r => r.FinishedAt).HasColumnName("finished_at");
            room.HasIndex(r => r.PracticeSessionId).IsUnique();
            room.HasIndex(r => r.Name).IsUnique();
        });

        modelBuilder.Entity<LiveKitParticipant>(participant =>
        {
            participant.ToTable("livekit_participants");
            participant.HasKey(p => p.Id);
            participant.Property(p => p.Id).HasColumnName("id");
            participant.Property(p => p.RoomId).HasColumnName("room_id");
            participant.Property(p => p.Identity).HasColumnName("identity").HasMaxLength(LiveKitParticipant.MaxIdentityLength);
            participant.Property(p => p.UserId).HasColumnName("user_id");
            participant.Property(p => p.Name).HasColumnName("name").HasMaxLength(LiveKitParticipant.MaxNameLength);
            participant.Property(p => p.Sid).HasColumnName("sid").HasMaxLength(LiveKitRoom.MaxSidLength);
            participant.Property(p => p.JoinedAt).HasColumnName("joined_at");
            participant.Property(p => p.LeftAt).HasColumnName("left_at");
            participant.Property(p => p.TokenIssuedAt).HasColumnName("token_issued_at");
            participant.HasOne<LiveKitRoom>().WithMany().HasForeignKey(p => p.RoomId).OnDelete(DeleteBehavior.Cascade);
            participant.HasIndex(p => new { p.RoomId, p.Identity });
            participant.HasIndex(p => p.Sid);
        });

        modelBuilder.Entity<LiveKitWebhookEvent>(webhook =>
        {
            webhook.ToTable("livekit_webhook_events");
            webhook.HasKey(e => e.EventId);
            webhook.Property(e => e.EventId).HasColumnName("event_id").HasMaxLength(LiveKitWebhookEvent.MaxEventIdLength);
            webhook.Property(e => e.Event).HasColumnName("event").HasMaxLength(LiveKitWebhookEvent.MaxEventLength);
            webhook.Property(e => e.RoomName).HasColumnName("room_name").HasMaxLength(LiveKitRoom.MaxNameLength);
            webhook.Property(e => e.OccurredAt).HasColumnName("occurred_at");
            webhook.Property(e => e.ProcessedAt).HasColumnName("processed_at");
            webhook.HasIndex(e => e.ProcessedAt);
        });

        return modelBuilder;
    }
}
