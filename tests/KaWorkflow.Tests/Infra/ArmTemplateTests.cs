using System.Collections.Concurrent;
using System.Reflection;
using System.Text.RegularExpressions;
using KaWorkflow.Hosting;
using KaWorkflow.Tests.Support;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Generation;
using NJsonSchema.References;

namespace KaWorkflow.Tests.Infra;

/// <summary>
/// infra/main.json checked here, without a subscription: every resource against the official ARM schema for its API
/// version (read from a schemas/arm folder beside the repository, the schemas' URL prefix mapped to that folder),
/// every reference resolved, the security settings one by one, and the app settings against the settings the app
/// binds.
/// </summary>
public sealed partial class ArmTemplateTests
{
    private const string SchemaUrl = "https://schema.management.azure.com/schemas/";
    private static readonly string SchemaRoot = Path.GetFullPath(Path.Combine(RepoRoot.Path, "..", "shared", "schemas", "arm"));
    private static readonly JObject Template = JObject.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "infra", "main.json")));
    private static readonly string TemplateText = File.ReadAllText(Path.Combine(RepoRoot.Path, "infra", "main.json"));
    private static IEnumerable<JObject> Resources => Template["resources"]!.Cast<JObject>();
    /// <summary>The one resource of a type, or of a type and child name (<c>"/ftp"</c> in <c>format('{0}/ftp', …)</c>).</summary>
    private static JObject Resource(string type, string? child = null) =>
        Resources.Single(r => (string)r["type"]! == type && (child is null || ((string)r["name"]!).Contains(child + "'")));
    private static JObject Site => Resource("Microsoft.Web/sites");
    private static Dictionary<string, string> AppSettings =>
        Site["properties"]!["siteConfig"]!["appSettings"]!.ToDictionary(s => (string)s["name"]!, s => (string)s["value"]!);

    /// <summary>Resolves the schemas' absolute URLs to the local copy, so validation needs no network.</summary>
    private sealed class LocalSchemas(JsonSchema root) : JsonReferenceResolver(new JsonSchemaAppender(root, new DefaultTypeNameGenerator()))
    {
        public override Task<IJsonReference> ResolveUrlReferenceAsync(string url, CancellationToken cancellationToken) =>
            url.StartsWith(SchemaUrl, StringComparison.Ordinal)
                ? ResolveFileReferenceAsync(Path.Combine(SchemaRoot, url[SchemaUrl.Length..].Split('#')[0]), cancellationToken)
                : throw new InvalidOperationException($"{url} is outside the local schema copy.");
    }

    private static readonly ConcurrentDictionary<string, Task<JsonSchema>> Schemas = new();

    private static Task<JsonSchema> SchemaForAsync(string apiVersion, string type)
    {
        var parts = type.Split('/');
        var provider = parts[0] switch
        {
            "Microsoft.Insights" when parts[1] == "components" => "Microsoft.Insights.Application",
            var p => p,
        };
        var definition = string.Join('_', parts.Skip(1));
        return Schemas.GetOrAdd($"{apiVersion}/{provider}#{definition}", _ =>
        {
            // resourceDefinitions is not a JSON Schema keyword, so a validator does not look inside it: the resource's
            // definition is copied under "definitions" and made the document's root, unchanged otherwise.
            var file = Path.Combine(SchemaRoot, apiVersion, provider + ".json");
            var document = JObject.Parse(File.ReadAllText(file));
            var resource = document["resourceDefinitions"]?[definition]
                ?? throw new InvalidOperationException($"{file} defines no {definition}.");
            ((JObject)(document["definitions"] ??= new JObject()))["__resource"] = resource.DeepClone();
            document.Remove("resourceDefinitions");
            document["$ref"] = "#/definitions/__resource";
            return JsonSchema.FromJsonAsync(document.ToString(), file, schema => new LocalSchemas(schema));
        });
    }

    private static IEnumerable<string> Describe(IEnumerable<NJsonSchema.Validation.ValidationError> errors, string indent = "") =>
        errors.SelectMany(e => new[] { $"{indent}{e.Path}: {e.Kind}" }.Concat(
            e is NJsonSchema.Validation.ChildSchemaValidationError child ? child.Errors.SelectMany(c
                => Describe(c.Value, indent + "  ")) : []));

    /// <summary>A resource as Azure sees it (without the template's own keys) and the schema for its type and version.</summary>
    private static async Task<(JObject Body, JsonSchema Schema)> BodyAndSchemaAsync(string resource)
    {
        var r = Resources.Single(x => $"{x["type"]} {x["name"]}" == resource);
        var body = (JObject)r.DeepClone();
        foreach (var templateOnly in new[] { "dependsOn", "scope", "condition", "copy", "comments" }) body.Remove(templateOnly);
        return (body, await SchemaForAsync((string)r["apiVersion"]!, (string)r["type"]!));
    }

    public static TheoryData<string> ResourceNames() => new(Resources.Select(r => $"{r["type"]} {r["name"]}"));

    [Theory]
    [MemberData(nameof(ResourceNames))]
    public async Task Every_resource_validates_against_the_official_schema_for_its_api_version(string resource)
    {
        var (body, schema) = await BodyAndSchemaAsync(resource);
        // Schemas tell child resources apart by their name (".../authsettingsV2", ".../ftp"), as ARM does once names are
        // evaluated: a format() name is evaluated here with a sample value for each argument.
        if (FormatCall().Match(((string)body["name"]!).Trim('[', ']')) is { Success: true } format)
            body["name"] = Placeholders().Replace(format.Groups["pattern"].Value, "sample");
        var errors = schema.Validate(body.ToString());
        Assert.True(errors.Count == 0, $"{resource}:\n" + string.Join("\n", Describe(errors)));
    }

    /// <summary>
    /// Property names the schema does not declare, anywhere in the value. ARM schemas mostly allow properties they do
    /// not name, which Azure then ignores or refuses at deployment: a misspelt setting would pass validation silently.
    /// Maps (a schema for additional properties, such as tags) and expressions are free.
    /// </summary>
    private static List<string> Undeclared(JToken value, JsonSchema schema, string path)
    {
        var candidates = Flatten(schema).ToList();
        var found = new List<string>();
        switch (value)
        {
            case JObject obj when !candidates.Any(c => c.AdditionalPropertiesSchema is not null):
                var shapes = candidates.Where(c => c.ActualProperties.Count > 0).ToList();
                if (shapes.Count == 0) break;
                foreach (var property in obj.Properties())
                {
                    var declared = shapes.Where(c => c.ActualProperties.ContainsKey(property.Name))
                        .Select(c => (JsonSchema)c.ActualProperties[property.Name]).ToList();
                    if (declared.Count == 0) found.Add($"{path}.{property.Name}");
                    else found.AddRange(declared.Select(d => Undeclared(property.Value, d, $"{path}.{property.Name}"))
                        .MinBy(issues => issues.Count)!);
                }
                break;
            case JArray array:
                var items = candidates.Select(c => c.Item).OfType<JsonSchema>().ToList();
                for (var i = 0; i < array.Count && items.Count > 0; i++)
                    found.AddRange(items.Select(item => Undeclared(array[i], item, $"{path}[{i}]")).MinBy(issues => issues.Count)!);
                break;
        }
        return found;
    }

    private static IEnumerable<JsonSchema> Flatten(JsonSchema schema)
    {
        var actual = schema.ActualSchema;
        yield return actual;
        foreach (var part in actual.AllOf.Concat(actual.OneOf).Concat(actual.AnyOf))
            foreach (var inner in Flatten(part)) yield return inner;
    }

    [Theory]
    [MemberData(nameof(ResourceNames))]
    public async Task Every_property_name_of_every_resource_is_one_its_schema_declares(string resource)
    {
        var (body, schema) = await BodyAndSchemaAsync(resource);
        Assert.Empty(Undeclared(body, schema, "resource"));
    }

    [Fact]
    public async Task A_misspelt_property_name_is_caught()
    {
        var schema = await SchemaForAsync("2024-11-01", "Microsoft.Web/sites");
        var misspelt = (JObject)Site.DeepClone();
        misspelt.Remove("dependsOn");
        misspelt["properties"]!["functionAppConfig"]!["scaleAndConcurrency"]!["maximumInstanceCounts"] = 40;
        Assert.Equal(["resource.properties.functionAppConfig.scaleAndConcurrency.maximumInstanceCounts"],
            Undeclared(misspelt, schema, "resource"));
    }

    [Fact]
    public async Task A_resource_that_breaks_its_schema_is_caught()
    {
        var schema = await SchemaForAsync("2025-01-01", "Microsoft.Storage/storageAccounts");
        var broken = (JObject)Resource("Microsoft.Storage/storageAccounts").DeepClone();
        broken["properties"]!["minimumTlsVersion"] = "TLS0_9";
        broken.Remove("dependsOn");
        Assert.NotEmpty(schema.Validate(broken.ToString()));
    }

    [Fact]
    public void The_template_and_its_parameter_file_name_what_the_schemas_expect()
    {
        Assert.Equal("https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", (string)Template["$schema"]!);
        var parameters = JObject.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "infra", "main.parameters.json")));
        Assert.Equal("https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", (string)parameters["$schema"]!);
        var declared = ((JObject)Template["parameters"]!).Properties().ToList();
        var given = ((JObject)parameters["parameters"]!).Properties().Select(p => p.Name).ToHashSet();
        Assert.Subset(declared.Select(p => p.Name).ToHashSet(), given);
        Assert.Subset(given,
            declared.Where(p => p.Value["defaultValue"] is null).Select(p => p.Name).ToHashSet()); // every required one has an example
    }

    [Fact]
    public void Every_parameter_variable_and_resource_reference_names_something_declared_and_every_parameter_is_used()
    {
        var parameters = ((JObject)Template["parameters"]!).Properties().Select(p => p.Name).ToHashSet();
        var variables = ((JObject)Template["variables"]!).Properties().Select(p => p.Name).ToHashSet();
        var types = Resources.Select(r => (string)r["type"]!).ToHashSet();
        var usedParameters = Reference("parameters").Matches(TemplateText).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Equal(parameters.Order(), usedParameters.Order()); // each used, and none used that is not declared
        Assert.Subset(variables, Reference("variables").Matches(TemplateText).Select(m => m.Groups[1].Value).ToHashSet());
        Assert.Subset(types,
            ResourceIdType().Matches(TemplateText).Select(m => m.Groups[1].Value).Where(t
                => t != "Microsoft.Authorization/roleDefinitions").ToHashSet());

        var declared = Resources.Select(r => ((string)r["type"]!, string.Join("|", NameSegments((string)r["name"]!)))).ToHashSet();
        foreach (var dependency in Resources.SelectMany(r => r["dependsOn"]?.Values<string>() ?? []))
        {
            if (ExtensionResourceIdCall().Match(dependency!) is { Success: true } extension)
            {
                // A resource deployed at another's scope (a role assignment on the storage account) is named by
                // extensionResourceId(scope, type, name): it must match the resource's own type, name and scope.
                var args = SplitArguments(extension.Groups["args"].Value);
                var scope = ResourceIdCall().Match($"[{args[0]}]");
                Assert.True(scope.Success, $"{dependency}: its scope is not a resourceId()");
                var (type, name) = (args[1].Trim('\''), $"[{args[2]}]");
                var scopeArgs = SplitArguments(scope.Groups["args"].Value);
                Assert.True(Resources.Any(r => (string)r["type"]! == type && (string)r["name"]! == name
                        && (string?)r["scope"] == $"[format('{scope.Groups["type"].Value}/{{0}}', {scopeArgs[0]})]"),
                    $"dependsOn {dependency} names no resource of the template at that scope");
                continue;
            }
            var m = ResourceIdCall().Match(dependency!);
            Assert.True(m.Success, $"dependsOn entry {dependency} is neither a resourceId() nor an extensionResourceId()");
            Assert.NotEqual("Microsoft.Authorization/roleAssignments", m.Groups["type"].Value); // scoped: extensionResourceId
            var wanted = (m.Groups["type"].Value, string.Join("|", SplitArguments(m.Groups["args"].Value).Select(a => a.Replace(" ", ""))));
            Assert.True(declared.Contains(wanted), $"dependsOn {dependency} names no resource of the template");
        }
    }

    /// <summary>
    /// A resource name as the segments resourceId() takes: <c>[format('{0}/default/{1}', a, b)]</c> is a, 'default', b;
    /// any other expression is one segment.
    /// </summary>
    private static List<string> NameSegments(string name)
    {
        var expression = name.Trim('[', ']');
        var format = FormatCall().Match(expression);
        if (!format.Success) return [expression.Replace(" ", "")];
        var args = SplitArguments(format.Groups["args"].Value);
        return format.Groups["pattern"].Value.Split('/').Select(part => Placeholder().Match(part) is { Success: true } p
            ? args[int.Parse(p.Groups[1].Value)].Replace(" ", "") : $"'{part}'").ToList();
    }

    private static List<string> SplitArguments(string args)
    {
        var result = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == '(') depth++;
            else if (args[i] == ')') depth--;
            else if (args[i] == ',' && depth == 0) { result.Add(args[start..i].Trim()); start = i + 1; }
        }
        result.Add(args[start..].Trim());
        return result;
    }

    [Fact]
    public void Storage_refuses_shared_keys_public_blobs_plain_http_and_old_tls()
    {
        var p = Resource("Microsoft.Storage/storageAccounts")["properties"]!;
        Assert.Equal("StorageV2", (string)Resource("Microsoft.Storage/storageAccounts")["kind"]!);
        Assert.False((bool)p["allowSharedKeyAccess"]!);
        Assert.False((bool)p["allowBlobPublicAccess"]!);
        Assert.True((bool)p["supportsHttpsTrafficOnly"]!);
        Assert.Equal("TLS1_2", (string)p["minimumTlsVersion"]!);
        Assert.All(Resources.Where(r => (string)r["type"]! == "Microsoft.Storage/storageAccounts/blobServices/containers"),
            c => Assert.Equal("None", (string)c["properties"]!["publicAccess"]!));
    }

    [Fact]
    public void The_function_app_is_https_only_on_tls_1_2_with_ftps_and_basic_publishing_credentials_off()
    {
        var p = Site["properties"]!;
        Assert.True((bool)p["httpsOnly"]!);
        Assert.Equal("1.2", (string)p["siteConfig"]!["minTlsVersion"]!);
        Assert.Equal("Disabled", (string)p["siteConfig"]!["ftpsState"]!);
        Assert.All(new[] { "ftp", "scm" },
            kind => Assert.False((bool)Resource("Microsoft.Web/sites/basicPublishingCredentialsPolicies",
                "/" + kind)["properties"]!["allow"]!));
    }

    [Fact]
    public void The_function_app_runs_the_dotnet_10_isolated_worker_on_flex_consumption_deployed_with_the_identity()
    {
        Assert.Equal("FC1", (string)Resource("Microsoft.Web/serverfarms")["sku"]!["name"]!);
        Assert.Equal("FlexConsumption", (string)Resource("Microsoft.Web/serverfarms")["sku"]!["tier"]!);
        Assert.Equal("functionapp,linux", (string)Site["kind"]!);
        var config = Site["properties"]!["functionAppConfig"]!;
        Assert.Equal("dotnet-isolated", (string)config["runtime"]!["name"]!);
        Assert.Equal("10.0", (string)config["runtime"]!["version"]!);
        var instances = Template["parameters"]!["maximumInstanceCount"]!;
        Assert.True((int)instances["defaultValue"]! >= 40 && (int)instances["minValue"]! >= 40);
        Assert.Equal("UserAssignedIdentity", (string)config["deployment"]!["storage"]!["authentication"]!["type"]!);
        Assert.Equal("[parameters('maximumInstanceCount')]", (string)config["scaleAndConcurrency"]!["maximumInstanceCount"]!);
        Assert.Equal("[parameters('instanceMemoryMB')]", (string)config["scaleAndConcurrency"]!["instanceMemoryMB"]!);
        Assert.Equal("UserAssigned", (string)Site["identity"]!["type"]!);
        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME",
            AppSettings.Keys); // Flex Consumption takes the runtime from functionAppConfig only
    }

    [Fact]
    public void Storage_and_telemetry_are_reached_by_identity_and_no_setting_carries_a_secret()
    {
        var settings = AppSettings;
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.Contains("clientId", settings["AzureWebJobsStorage__clientId"]);
        Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys);
        Assert.EndsWith("Authorization=AAD', reference(resourceId(" +
            "'Microsoft.ManagedIdentity/userAssignedIdentities', variables('identityName')), '2023-01-31').clientId)]",
            settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        Assert.True((bool)Resource("Microsoft.Insights/components")["properties"]!["DisableLocalAuth"]!);
        Assert.Contains("workspaces", (string)Resource("Microsoft.Insights/components")["properties"]!["WorkspaceResourceId"]!);
        Assert.DoesNotContain(settings, s => Regex.IsMatch(s.Value,
            "AccountKey=|SharedAccessSignature|InstrumentationKey=|listKeys", RegexOptions.IgnoreCase));
        Assert.DoesNotContain("listKeys", TemplateText);
    }

    [Fact]
    public void Sign_in_lets_the_form_through_with_its_link_alone_and_hands_the_principal_to_the_app()
    {
        var auth = Resource("Microsoft.Web/sites/config", "/authsettingsV2")["properties"]!;
        Assert.True((bool)auth["platform"]!["enabled"]!);
        Assert.False((bool)auth["globalValidation"]!["requireAuthentication"]!);
        Assert.Equal("AllowAnonymous", (string)auth["globalValidation"]!["unauthenticatedClientAction"]!);
        Assert.False((bool)auth["login"]!["tokenStore"]!["enabled"]!); // the app never calls anything as the user
        var aad = auth["identityProviders"]!["azureActiveDirectory"]!;
        Assert.Equal("[parameters('signInClientId')]", (string)aad["registration"]!["clientId"]!);
        Assert.Equal("OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID",
            (string)aad["registration"]!["clientSecretSettingName"]!); // the identity, not a secret
        Assert.Contains("OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID", AppSettings.Keys);
        Assert.Equal("true", AppSettings["Access__TrustPlatformPrincipal"]);
        Assert.Equal("/.auth/login/aad", AppSettings["Access__SignInPath"]);
    }

    [Fact]
    public void The_identity_gets_only_the_built_in_roles_it_needs_where_it_needs_them()
    {
        // Ids from learn.microsoft.com/azure/role-based-access-control/built-in-roles (storage and monitor pages), as
        // cited in the template.
        var expected = new Dictionary<string, string>
        {
            ["blobDataOwner"] = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", ["tableDataContributor"] = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
            ["queueDataContributor"] = "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
            ["monitoringMetricsPublisher"] = "3913510d-42f4-4e42-8a64-420c390055eb",
        };
        var roles = (JObject)Template["variables"]!["roles"]!;
        Assert.Equal(expected, roles.Properties().ToDictionary(p => p.Name, p => (string)p.Value!));
        Assert.Contains("learn.microsoft.com/azure/role-based-access-control/built-in-roles",
            (string)Template["metadata"]!["roleDefinitionIds"]!);
        var assignments = Resources.Where(r => (string)r["type"]! == "Microsoft.Authorization/roleAssignments").ToList();
        Assert.Equal(4, assignments.Count);
        Assert.All(assignments, a => Assert.Equal("ServicePrincipal", (string)a["properties"]!["principalType"]!));
        Assert.All(assignments, a => Assert.Contains("userAssignedIdentities", (string)a["properties"]!["principalId"]!));
        Assert.Single(assignments,
            a => ((string)a["properties"]!["roleDefinitionId"]!).Contains("monitoringMetricsPublisher")
                && ((string)a["scope"]!).Contains("Microsoft.Insights/components"));
        Assert.All(assignments.Where(a => !((string)a["properties"]!["roleDefinitionId"]!).Contains("monitoringMetricsPublisher")),
            a => Assert.StartsWith("[format('Microsoft.Storage/storageAccounts/{0}'", (string)a["scope"]!));
    }

    [Fact]
    public void The_template_writes_exactly_the_settings_the_app_binds_apart_from_the_local_only_ones()
    {
        var bound = typeof(KaApp).Assembly.GetTypes()
            .Where(t => t.IsClass && t.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true })
            .SelectMany(t => t.GetProperties().Where(p => p.CanWrite && p.GetCustomAttribute<LocalOnlyAttribute>() is null)
                .Select(p => $"{t.GetField("Section")!.GetRawConstantValue()}__{p.Name}"))
            .ToHashSet();
        var sections = bound.Select(b => b.Split("__")[0]).ToHashSet();
        var written = AppSettings.Keys.Where(k => k.Contains("__") && sections.Contains(k.Split("__")[0])).ToHashSet();
        Assert.Equal(bound.Order(), written.Order());
    }

    [GeneratedRegex(@"^format\('(?<pattern>[^']*)',\s*(?<args>.*)\)$")]
    private static partial Regex FormatCall();

    [GeneratedRegex(@"^\{(\d+)\}$")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholders();

    private static Regex Reference(string kind) => new($@"\b{kind}\('([^']+)'\)");

    [GeneratedRegex(@"resourceId\('([^']+)'")]
    private static partial Regex ResourceIdType();

    [GeneratedRegex(@"^\[resourceId\('(?<type>[^']+)',\s*(?<args>.*)\)\]$")]
    private static partial Regex ResourceIdCall();

    [GeneratedRegex(@"^\[extensionResourceId\((?<args>.*)\)\]$")]
    private static partial Regex ExtensionResourceIdCall();
}

/// <summary>The deployment scripts cannot run here without a subscription; they can at least be parsed.</summary>
public sealed class InfraScriptTests
{
    public static TheoryData<string> Scripts() => new(Directory.GetFiles(Path.Combine(RepoRoot.Path, "infra"),
        "*.sh").Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task Each_script_is_valid_bash_and_executable(string script)
    {
        var path = Path.Combine(RepoRoot.Path, "infra", script);
        await ExternalTool.RunAsync("bash", "-n", path);
        Assert.True(File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute));
    }
}
