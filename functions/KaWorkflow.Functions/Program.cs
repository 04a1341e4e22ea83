using KaWorkflow.Functions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// The Functions worker with ASP.NET Core integration, running the app's composition.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddKaWorkflowFunctions(builder.Configuration, builder.Environment);
builder.Build().Run();
