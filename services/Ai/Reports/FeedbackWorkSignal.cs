namespace PracticePlatform.Ai.Reports;

/// <summary>Wakes this process's report worker when there may be work (a session completed, a transcript arrived),
/// so a report does not wait for the next poll. Only a hint: the worker also polls.</summary>
public sealed class FeedbackWorkSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Someone else woke it first: one wake-up is enough.
            }
        }
    }

    public void Dispose() => _signal.Dispose();

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
