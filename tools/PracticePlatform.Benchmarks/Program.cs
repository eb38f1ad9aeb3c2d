using PracticePlatform.Benchmarks;

// Load drivers that print figures; speed is measured here, never asserted in tests.
var name = args.FirstOrDefault() ?? "eventbus";
var options = args.Skip(1).ToArray();
return name switch
{
    "eventbus" => await EventBusBenchmark.RunAsync(options),
    "eventbus-outbox" => await OutboxBenchmark.RunAsync(options),
    "content-catalogue" => await CatalogueBenchmark.RunAsync(options),
    "conversations" => await ConversationBenchmark.RunAsync(options),
    "feedback-scoring" => await FeedbackScoringBenchmark.RunAsync(options),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project tools/PracticePlatform.Benchmarks -- <benchmark> [--events N] [--publishers P]");
    Console.Error.WriteLine("  eventbus         IEventBus.PublishAsync straight to Redis Streams (throwaway redis-server)");
    Console.Error.WriteLine("  eventbus-outbox  the transactional path: IEventOutbox + SaveChanges, relay, inbox (throwaway PostgreSQL + redis-server)");
    Console.Error.WriteLine("  content-catalogue  GET /v1/content/scenarios over HTTP, Redis cache on and off, beside plain Kestrel; builds and");
    Console.Error.WriteLine("                     starts users + content (Release). Options: [--seconds 10] [--concurrency 32] [--no-build]");
    Console.Error.WriteLine("  conversations    N learners each hold a T-turn text conversation over the realtime WebSocket, all at once; builds");
    Console.Error.WriteLine("                   and starts all six services (Release). Options: [--sessions 50] [--turns 20] [--think-ms 0] [--no-build]");
    return 2;
}
