namespace KaWorkflow.Hosting;

/// <summary>
/// Marks a setting that only a local run or a test sets (the emulator's connection string, the local mailbox).
/// The deployment template writes every other setting the app binds, and a test holds the two lists together.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class LocalOnlyAttribute : Attribute;
