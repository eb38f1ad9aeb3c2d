using System.Diagnostics;
using System.Threading.Channels;

namespace PracticePlatform.EventBus.EntityFrameworkCore.Tests;

/// <summary>What the handler saw, and how it behaves after writing its row but before its SaveChanges returns
/// (block, throw): shared by the hosts of one test.</summary>
public sealed class HandlerProbe
{
    private readonly Channel<(PatientAdmitted Event, Activity? Activity)> _handled = Channel.CreateUnbounded<(PatientAdmitted, Activity?)>();
    private int _attempts;

    public Func<PatientAdmitted, int, CancellationToken, Task> AfterSave { get; set; } = (_, _, _) => Task.CompletedTask;

    public int Attempts => Volatile.Read(ref _attempts);

    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal int NextAttempt()
    {
        Entered.TrySetResult();
        return Interlocked.Increment(ref _attempts);
    }

    internal void Handled(PatientAdmitted @event) => _handled.Writer.TryWrite((@event, Activity.Current));

    public async Task<(PatientAdmitted Event, Activity? Activity)> NextAsync(TimeSpan? timeout = null) =>
        await _handled.Reader.ReadAsync().AsTask().WaitAsync(timeout ?? TimeSpan.FromSeconds(20));

    public bool TryTakeAnother(out (PatientAdmitted Event, Activity? Activity) handled) => _handled.Reader.TryRead(out handled);
}

/// <summary>Assigns a bed for each admission: one row per handled event.</summary>
public sealed class BedAssignmentHandler(WardDbContext db, HandlerProbe probe) : IIntegrationEventHandler<PatientAdmitted>
{
    public async Task HandleAsync(PatientAdmitted @event, CancellationToken cancellationToken)
    {
        var attempt = probe.NextAttempt();
        db.BedAssignments.Add(new BedAssignment { AdmissionId = @event.AdmissionId, EventId = @event.Id, Handler = nameof(BedAssignmentHandler) });
        await db.SaveChangesAsync(cancellationToken);
        await probe.AfterSave(@event, attempt, cancellationToken);
        probe.Handled(@event);
    }
}
