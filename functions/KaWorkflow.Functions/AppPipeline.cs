using KaWorkflow.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace KaWorkflow.Functions;

/// <summary>The app's middleware and route table, built once, for <see cref="HttpFunctions"/> to run requests
/// through.</summary>
public sealed class AppPipeline
{
    public AppPipeline(IServiceProvider services)
    {
        var app = new ApplicationBuilder(services);
        app.UseKaWorkflowPipeline();
        app.UseEndpoints(endpoints => endpoints.MapKaWorkflow());
        Run = app.Build();
    }

    public RequestDelegate Run { get; }
}
