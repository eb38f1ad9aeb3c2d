using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;

namespace PracticePlatform.ServiceDefaults.Discovery;

/// <summary>
/// Resolves logical service addresses from the configuration Aspire injects:
/// <c>services__&lt;name&gt;__&lt;endpoint&gt;__&lt;index&gt;=http://localhost:5102</c>.
/// <list type="bullet">
/// <item><c>http://content</c> resolves through content's "http" endpoints.</item>
/// <item><c>https+http://content</c> prefers "https" endpoints and falls back to "http".</item>
/// <item><c>http://_admin.content</c> uses the endpoint named "admin".</item>
/// </list>
/// Several endpoints under one name are used in turn. A host with a dot in it, or a service with no
/// configured endpoint, is left as it is (DNS decides), except a "+" scheme, which is only meaningful here.
/// </summary>
public sealed class ServiceEndpointResolver(IConfiguration configuration)
{
    private readonly ConcurrentDictionary<string, int> _nextIndex = new(StringComparer.OrdinalIgnoreCase);

    public Uri Resolve(Uri requested)
    {
        ArgumentNullException.ThrowIfNull(requested);
        if (!requested.IsAbsoluteUri)
        {
            return requested;
        }

        var schemes = requested.Scheme.Split('+', StringSplitOptions.RemoveEmptyEntries);
        var (serviceName, endpointName) = SplitHost(requested.Host);
        var isLogicalName = !serviceName.Contains('.', StringComparison.Ordinal);

        if (isLogicalName)
        {
            foreach (var scheme in schemes)
            {
                var endpoints = Endpoints(serviceName, endpointName ?? scheme);
                if (endpoints.Count == 0)
                {
                    continue;
                }

                var index = _nextIndex.AddOrUpdate($"{serviceName}/{endpointName ?? scheme}", 0, (_, i) => i + 1);
                var target = endpoints[(index & int.MaxValue) % endpoints.Count];
                return new UriBuilder(requested)
                {
                    Scheme = target.Scheme,
                    Host = target.Host,
                    Port = target.Port,
                }.Uri;
            }
        }

        if (schemes.Length > 1)
        {
            throw new InvalidOperationException(
                $"No endpoint is configured for service '{serviceName}' (looked for services:{serviceName}:{string.Join("|", schemes)}:0). " +
                "Under the AppHost this comes from WithReference; under ./run.sh from the runner.");
        }

        return requested;
    }

    private List<Uri> Endpoints(string serviceName, string endpointName)
    {
        var section = configuration.GetSection($"services:{serviceName}:{endpointName}");
        var result = new List<Uri>();
        foreach (var child in section.GetChildren().OrderBy(c => int.TryParse(c.Key, out var i) ? i : int.MaxValue))
        {
            if (Uri.TryCreate(child.Value, UriKind.Absolute, out var uri))
            {
                result.Add(uri);
            }
        }

        return result;
    }

    private static (string Service, string? Endpoint) SplitHost(string host)
    {
        if (host.StartsWith('_'))
        {
            var dot = host.IndexOf('.', StringComparison.Ordinal);
            if (dot > 1)
            {
                return (host[(dot + 1)..], host[1..dot]);
            }
        }

        return (host, null);
    }
}
