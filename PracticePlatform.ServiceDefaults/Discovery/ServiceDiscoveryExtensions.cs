using Microsoft.Extensions.DependencyInjection;

namespace PracticePlatform.ServiceDefaults.Discovery;

public static class ServiceDiscoveryExtensions
{
    public static IServiceCollection AddServiceDiscovery(this IServiceCollection services)
    {
        services.AddSingleton<ServiceEndpointResolver>();
        services.AddTransient<ServiceDiscoveryHandler>();
        return services;
    }

    /// <summary>Lets an HttpClient address services as <c>http://name</c> or <c>https+http://name</c>.</summary>
    public static IHttpClientBuilder AddServiceDiscovery(this IHttpClientBuilder builder) =>
        builder.AddHttpMessageHandler<ServiceDiscoveryHandler>();
}

/// <summary>Rewrites the request's logical address to a concrete endpoint just before it is sent and restores it
/// afterwards, so each retry attempt resolves again (and may reach another replica).</summary>
public sealed class ServiceDiscoveryHandler(ServiceEndpointResolver resolver) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var original = request.RequestUri;
        if (original is null)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        request.RequestUri = resolver.Resolve(original);
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        finally
        {
            request.RequestUri = original;
        }
    }
}
