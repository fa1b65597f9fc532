using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Papyra;
using Papyra.Diagnostics;
using Papyra.Hosting;
using Papyra.Metrics;
using Papyra.Persistence;
using Papyra.Samples.WebApp.Actors;

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);

// Telemetry first: hosted services start in registration order, so registering OpenTelemetry
// before Papyra lets it trace the persistence startup check.
builder.Services.AddOpenTelemetry()
    .ConfigureResource(resource => resource.AddService("papyra-webapp"))
    .WithMetrics(metrics => metrics
        .AddMeter(RuntimeMetricNames.Instruments.MeterName, PersistenceMetricNames.Instruments.MeterName)
        .AddConsoleExporter((_, reader) => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 10_000))
    .WithTracing(tracing => tracing
        .AddSource(PapyraActivitySources.Persistence, "Microsoft.AspNetCore")
        .AddConsoleExporter());

// Options come from the "Papyra" section of appsettings.json (backend, path, retention, startup mode).
builder.Services.AddPapyra();
builder.Services.AddHealthChecks().AddPapyraHealthCheck(tags: ["ready"]);

WebApplication app = builder.Build();

app.MapPapyraEndpoints(); // /papyra/healthz, /papyra/metrics, /papyra/audit
app.MapPapyraDashboard(); // /papyra/dashboard/: the live, read-only dashboard (add an authorization policy outside a private network)
app.MapHealthChecks("/health/ready");

ActorSystem system = app.Services.GetRequiredService<ActorSystem>();
app.Lifetime.ApplicationStarted.Register(() => system.Spawn(() => new GreeterActor(), name: "greeter"));

app.MapPost("/greet/{name}", async (string name, ActorSystem actors, CancellationToken cancellationToken) =>
{
    ActorRef greeter = actors.RefForName("greeter");
    try
    {
        Greeting greeting = await greeter.AskAsync<Greeting>(new Greet(name), TimeSpan.FromSeconds(2), cancellationToken);
        return Results.Ok(greeting);
    }
    catch (InvalidOperationException error)
    {
        return Results.Problem(error.Message, statusCode: StatusCodes.Status500InternalServerError);
    }
});

app.Run();
