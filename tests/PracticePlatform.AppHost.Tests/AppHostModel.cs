using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PracticePlatform.AppHost.Tests;

/// <summary>A resource that AppHost.cs adds, with what the calls made on it declare.</summary>
/// <param name="AddMethod">The method that added it: <c>AddPostgres</c>, <c>AddDatabase</c>, <c>AddProject</c>, ...</param>
/// <param name="Name">The resource name, the Add method's first argument.</param>
/// <param name="TypeArgument">The generic argument of the Add method, as written (<c>Projects.Users_Api</c>).</param>
/// <param name="Parent">The resource it was added to (the server of a database), if any.</param>
internal sealed record DeclaredResource(string AddMethod, string Name, string? TypeArgument, DeclaredResource? Parent)
{
    /// <summary>Names of the resources passed to <c>WithReference</c>, in order.</summary>
    public List<string> References { get; } = [];

    /// <summary>Names of the resources passed to <c>WaitFor</c>, in order.</summary>
    public List<string> Waits { get; } = [];

    /// <summary>Paths passed to <c>WithHttpHealthCheck</c> (an empty string when none is given).</summary>
    public List<string> HealthCheckPaths { get; } = [];

    /// <summary>Names of the environment variables set with <c>WithEnvironment</c>, in order.</summary>
    public List<string> EnvironmentVariables { get; } = [];

    /// <summary>Every other method called on it (<c>WithDataVolume</c>, <c>WithExternalHttpEndpoints</c>, ...).</summary>
    public List<string> OtherCalls { get; } = [];
}

/// <summary>
/// The application model that AppHost.cs builds, read from its C# syntax tree rather than by running it
/// (the Aspire packages cannot be restored here). Follows the top-level statements: a call chain that starts
/// at the builder and goes through an <c>Add*</c> method adds a resource; a chain that starts at a variable
/// holding a resource adds to that resource, so later calls such as <c>sessions.WithReference(realtime)</c>
/// count as much as chained ones.
/// </summary>
internal sealed class AppHostModel
{
    private readonly Dictionary<string, DeclaredResource> _variables = new(StringComparer.Ordinal);
    private readonly List<DeclaredResource> _resources = [];

    private AppHostModel()
    {
    }

    public IReadOnlyList<DeclaredResource> Resources => _resources;

    public static AppHostModel Load(string path) => Parse(File.ReadAllText(path), path);

    public static AppHostModel Parse(string source, string path = "AppHost.cs")
    {
        var tree = CSharpSyntaxTree.ParseText(source, path: path);
        var errors = tree.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new FormatException($"{path} does not parse: {string.Join("; ", errors)}");
        }

        var model = new AppHostModel();
        foreach (var global in tree.GetCompilationUnitRoot().Members.OfType<GlobalStatementSyntax>())
        {
            model.Read(global.Statement);
        }

        return model;
    }

    public IEnumerable<DeclaredResource> AddedWith(string addMethod) =>
        _resources.Where(r => r.AddMethod == addMethod);

    public DeclaredResource Project(string name)
    {
        var projects = AddedWith("AddProject").Where(r => r.Name == name).ToList();
        return projects.Count == 1
            ? projects[0]
            : throw new InvalidOperationException($"AppHost.cs adds {projects.Count} projects named '{name}', not one.");
    }

    private void Read(StatementSyntax statement)
    {
        switch (statement)
        {
            case LocalDeclarationStatementSyntax declaration:
                foreach (var variable in declaration.Declaration.Variables)
                {
                    if (variable.Initializer is { } initializer && Evaluate(initializer.Value) is { } resource)
                    {
                        _variables[variable.Identifier.Text] = resource;
                    }
                }

                break;

            case ExpressionStatementSyntax expression:
                Evaluate(expression.Expression);
                break;

            default:
                // Better to fail than to miss a WithReference inside an if or a loop.
                throw new NotSupportedException(
                    $"AppHost.cs has a statement this reader does not follow (line {statement.GetLocation().GetLineSpan().StartLinePosition.Line + 1}): {statement}");
        }
    }

    /// <summary>Follows one call chain; returns the resource it ends on, or null when it is not about a resource.</summary>
    private DeclaredResource? Evaluate(ExpressionSyntax expression)
    {
        var calls = new Stack<(SimpleNameSyntax Method, SeparatedSyntaxList<ArgumentSyntax> Arguments)>();
        var receiver = expression;
        while (receiver is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax memberAccess } invocation)
        {
            calls.Push((memberAccess.Name, invocation.ArgumentList.Arguments));
            receiver = memberAccess.Expression;
        }

        var current = receiver is IdentifierNameSyntax identifier && _variables.TryGetValue(identifier.Identifier.Text, out var held)
            ? held
            : null;

        foreach (var (method, arguments) in calls)
        {
            var name = method.Identifier.Text;
            if (name.StartsWith("Add", StringComparison.Ordinal))
            {
                current = Add(method, arguments, parent: current);
                continue;
            }

            if (current is null)
            {
                // CreateBuilder(args), Build().Run(): not about any resource.
                continue;
            }

            switch (name)
            {
                case "WithReference":
                    current.References.Add(ResourceNameOf(arguments[0].Expression));
                    break;
                case "WaitFor":
                    current.Waits.Add(ResourceNameOf(arguments[0].Expression));
                    break;
                case "WithHttpHealthCheck":
                    current.HealthCheckPaths.Add(arguments.Count > 0 ? StringLiteral(arguments[0].Expression) ?? arguments[0].ToString() : "");
                    break;
                case "WithEnvironment":
                    current.EnvironmentVariables.Add(StringLiteral(arguments[0].Expression) ?? arguments[0].ToString());
                    break;
                default:
                    current.OtherCalls.Add(name);
                    break;
            }
        }

        return current;
    }

    private DeclaredResource? Add(SimpleNameSyntax method, SeparatedSyntaxList<ArgumentSyntax> arguments, DeclaredResource? parent)
    {
        // A resource is named by its first argument; an Add* call without a string name adds no resource.
        if (arguments.Count == 0 || StringLiteral(arguments[0].Expression) is not { } resourceName)
        {
            return null;
        }

        var typeArgument = method is GenericNameSyntax generic ? generic.TypeArgumentList.Arguments.Single().ToString() : null;
        var resource = new DeclaredResource(method.Identifier.Text, resourceName, typeArgument, parent);
        _resources.Add(resource);
        return resource;
    }

    private string ResourceNameOf(ExpressionSyntax argument)
    {
        if (argument is IdentifierNameSyntax identifier)
        {
            return _variables.TryGetValue(identifier.Identifier.Text, out var resource)
                ? resource.Name
                : throw new InvalidOperationException($"AppHost.cs passes '{identifier}', which holds no resource this reader knows of.");
        }

        return Evaluate(argument)?.Name
            ?? throw new InvalidOperationException($"AppHost.cs passes '{argument}', which this reader cannot tie to a resource.");
    }

    private static string? StringLiteral(ExpressionSyntax expression) =>
        expression is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.StringLiteralExpression)
            ? literal.Token.ValueText
            : null;
}
