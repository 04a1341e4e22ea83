using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace KaWorkflow.Functions;

/// <summary>
/// Every page and API route as one HTTP function: the request goes through the same route table the local host
/// serves (<see cref="KaWorkflow.Hosting.KaApp.MapKaWorkflow"/>), so the two hosts cannot drift apart. With
/// host.json's empty route prefix it is every path, <c>/</c> included (the host's own <c>/admin</c> and
/// <c>/runtime</c> routes excepted).
/// </summary>
public sealed class HttpFunctions(AppPipeline pipeline)
{
    [Function("Http")]
    public async Task<IActionResult> Http(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "{*path}")] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        using var scope = FunctionsDurableClients.Use(client);
        await pipeline.Run(request.HttpContext);
        return new EmptyResult(); // the route's handler has written the response
    }
}
