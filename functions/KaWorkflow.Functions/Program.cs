using KaWorkflow.Functions;
using KaWorkflow.Hosting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// The Functions worker: the app's services, the Durable Functions client as the rounds' runner, telemetry.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddKaWorkflow(builder.Configuration, builder.Environment);
builder.Services.AddFunctionsDurableClients();
builder.Services.AddSingleton<AppPipeline>();
builder.Services.AddApplicationInsightsTelemetryWorkerService().ConfigureFunctionsApplicationInsights();
builder.Build().Run();
