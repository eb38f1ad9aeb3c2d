using PracticePlatform.Benchmarks;

// Load drivers that print figures; speed is measured here, never asserted in tests.
var name = args.FirstOrDefault() ?? "eventbus";
var options = args.Skip(1).ToArray();
return name switch
{
    "eventbus" => await EventBusBenchmark.RunAsync(options),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project tools/PracticePlatform.Benchmarks -- eventbus [--events N] [--publishers P]");
    return 2;
}
