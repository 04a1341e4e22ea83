using KaWorkflow.Hosting;

// One executable: `serve` (default) runs the web app; the other commands are the performance team's and the demo's.
return await Cli.RunAsync(args);
