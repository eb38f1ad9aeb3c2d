using PracticePlatform.Benchmarks;

// Load drivers that print figures; speed is measured here, never asserted in tests.
var name = args.FirstOrDefault() ?? "eventbus";
var options = args.Skip(1).ToArray();
return name switch
{
    "eventbus" => await EventBusBenchmark.RunAsync(options),
    "eventbus-outbox" => await OutboxBenchmark.RunAsync(options),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project tools/PracticePlatform.Benchmarks -- <benchmark> [--events N] [--publishers P]");
    Console.Error.WriteLine("  eventbus         IEventBus.PublishAsync straight to Redis Streams (throwaway redis-server)");
    Console.Error.WriteLine("  eventbus-outbox  the transactional path: IEventOutbox + SaveChanges, relay, inbox (throwaway PostgreSQL + redis-server)");
    return 2;
}
