namespace PracticePlatform.Redis;

/// <summary>One stream entry: its id (<c>1700000000000-0</c>) and its field/value pairs.</summary>
public sealed record StreamEntry(string Id, IReadOnlyDictionary<string, string> Fields);

/// <summary>What XAUTOCLAIM answers: the cursor to continue from ("0-0" when done), the entries claimed, and the ids
/// whose entries no longer exist (trimmed while pending).</summary>
public sealed record StreamAutoClaimResult(string NextStartId, IReadOnlyList<StreamEntry> Claimed, IReadOnlyList<string> DeletedIds);

/// <summary>One pending entry: delivered to <see cref="Consumer"/> <see cref="DeliveryCount"/> times, idle since.</summary>
public sealed record StreamPendingEntry(string Id, string Consumer, TimeSpan Idle, long DeliveryCount);

/// <summary>XINFO GROUPS for one group: pending entries and lag (entries not yet delivered to the group).</summary>
public sealed record StreamGroupInfo(string Name, long Consumers, long Pending, string LastDeliveredId, long? Lag);

/// <summary>XINFO CONSUMERS for one consumer of a group: its pending entries and how long since it last read.</summary>
public sealed record StreamConsumerInfo(string Name, long Pending, TimeSpan Idle);
