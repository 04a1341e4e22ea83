using System.Text;
using KaWorkflow.Functions;
using KaWorkflow.Hosting;
using KaWorkflow.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace KaWorkflow.Tests.Functions;

/// <summary>
/// The Functions app's HTTP function runs each request through <see cref="AppPipeline"/>: here that pipeline runs in
/// process with the Functions app's services, as the worker would build them.
/// </summary>
public sealed class AppPipelineTests
{
    private static async Task<(int Status, string Body, IHeaderDictionary Headers)> SendAsync(string path,
        string environment = "Production", Action<HttpRequest>? shape = null)
    {
        var storage = Azurite.Instance.NewStorage();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = storage.ConnectionString, ["Storage:TablePrefix"] = storage.TablePrefix,
            ["Mail:Sender"] = "performance@council.example", ["Mail:PerformanceTeam"] = "performance@council.example",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        var env = new Env { EnvironmentName = environment };
        services.AddSingleton<IHostEnvironment>(env);
        services.AddSingleton<IWebHostEnvironment>(env);
        services.AddKaWorkflow(configuration, env);
        services.AddFunctionsDurableClients();
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Method = "GET";
        context.Request.Path = path;
        context.Connection.RemoteIpAddress = System.Net.IPAddress.Loopback; // the host's proxy
        context.Request.Headers["X-Forwarded-Proto"] = "https"; // as the front end says
        shape?.Invoke(context.Request);
        context.Response.Body = new MemoryStream();
        await new AppPipeline(provider).Run(context);
        return (context.Response.StatusCode, Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray()),
            context.Response.Headers);
    }

    [Fact]
    public async Task A_request_reaches_the_apps_route_table_with_its_security_headers()
    {
        var (status, body, headers) = await SendAsync("/api/health");
        Assert.Equal(200, status);
        Assert.Contains("ok", body);
        Assert.Equal("nosniff", headers["X-Content-Type-Options"]);
    }

    [Fact]
    public async Task The_dashboard_needs_a_signed_in_performance_team_member()
    {
        var (status, _, _) = await SendAsync("/api/admin/rounds");
        Assert.Equal(401, status);
    }

    [Fact]
    public async Task Development_only_routes_are_not_served_in_azure()
    {
        Assert.Equal(404, (await SendAsync("/dev/mailbox")).Status);
        Assert.Equal(404, (await SendAsync("/dev/signin")).Status);
    }

    private sealed class Env : IWebHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Production";
        public string ApplicationName { get; set; } = "KaWorkflow";
        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
        public string WebRootPath { get; set; } = AppContext.BaseDirectory;
        public IFileProvider WebRootFileProvider { get; set; } = new NullFileProvider();
    }
}
