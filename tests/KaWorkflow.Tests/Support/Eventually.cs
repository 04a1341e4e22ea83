namespace KaWorkflow.Tests.Support;

/// <summary>Waits for progress made elsewhere (the durable engine's worker), checking often, failing after a long
/// bound: the test is driven by the condition, not by a guess of how long it takes.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, int seconds = 60)
    {
        if (!await WithinAsync(condition, seconds)) Assert.Fail($"Waited {seconds} s for {what}.");
    }

    /// <summary>Whether the condition came true within the bound: for a fault test that counts what it lost before
    /// it asserts.</summary>
    public static async Task<bool> WithinAsync(Func<Task<bool>> condition, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(25);
        }
        return true;
    }
}
