using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace PracticePlatform.ServiceDefaults.Authentication;

public static class AuthenticationExtensions
{
    /// <summary>
    /// Makes the service trust the access tokens the users service issues (JwtBearer, RS256 only, issuer, audience and
    /// lifetime checked, keys from the users service's JWKS), registers <see cref="PlatformPolicies"/> and
    /// <see cref="ICurrentUser"/>, and turns 401 and 403 into ProblemDetails.
    /// <para>
    /// The signing keys come from the <see cref="IConfigurationManager{T}"/> of <see cref="OpenIdConnectConfiguration"/>
    /// in DI, resolved when JwtBearer's options are first built. The default one (fetching and caching the JWKS) is
    /// registered with TryAdd, so a service that has the keys itself (users) registers its own either before this
    /// call or after it (a later <c>AddSingleton</c> wins), and tests swap in a static one.
    /// </para>
    /// </summary>
    public static TBuilder AddPlatformAuthentication<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<PlatformAuthenticationOptions>()
            .Bind(builder.Configuration.GetSection(PlatformAuthenticationOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => !string.IsNullOrWhiteSpace(o.Issuer) && !string.IsNullOrWhiteSpace(o.Audience),
                "Authentication:Issuer and Authentication:Audience must not be empty.")
            .ValidateOnStart();

        services.AddHttpClient(HttpClientDocumentRetriever.HttpClientName);
        services.TryAddSingleton<IConfigurationManager<OpenIdConnectConfiguration>>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<PlatformAuthenticationOptions>>().Value;
            return new ConfigurationManager<OpenIdConnectConfiguration>(
                options.JwksUri.OriginalString,
                new JwksConfigurationRetriever(),
                new HttpClientDocumentRetriever(provider.GetRequiredService<IHttpClientFactory>()))
            {
                AutomaticRefreshInterval = options.JwksAutomaticRefreshInterval,
                RefreshInterval = options.JwksRefreshInterval,
            };
        });

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IConfigurationManager<OpenIdConnectConfiguration>, IOptions<PlatformAuthenticationOptions>>(
                (options, keys, platform) => ConfigureJwtBearer(options, keys, platform.Value));

        services.AddAuthorizationBuilder()
            .AddPolicy(PlatformPolicies.Educator, policy => policy.RequireRole(
                PlatformRoles.Educator, PlatformRoles.InstitutionAdmin, PlatformRoles.PlatformAdmin))
            .AddPolicy(PlatformPolicies.InstitutionAdmin, policy => policy.RequireRole(
                PlatformRoles.InstitutionAdmin, PlatformRoles.PlatformAdmin))
            .AddPolicy(PlatformPolicies.PlatformAdmin, policy => policy.RequireRole(PlatformRoles.PlatformAdmin));
        services.AddOptions<AuthorizationOptions>().Configure<IOptions<PlatformAuthenticationOptions>>((options, platform) =>
        {
            if (platform.Value.RequireAuthenticatedUserByDefault)
            {
                options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
            }
        });
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ForbiddenAsProblem>();

        services.AddHttpContextAccessor();
        services.TryAddScoped<ICurrentUser, CurrentUser>();
        services.TryAddSingleton<RevokedSessions>();
        return builder;
    }

    private static void ConfigureJwtBearer(
        JwtBearerOptions options, IConfigurationManager<OpenIdConnectConfiguration> keys, PlatformAuthenticationOptions platform)
    {
        options.ConfigurationManager = keys;
        options.RefreshOnIssuerKeyNotFound = true;
        options.MapInboundClaims = false;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = platform.Issuer,
            ValidAudience = platform.Audience,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            IssuerSigningKeyValidator = (key, _, _) => key.KeySize >= PlatformTokens.MinimumRsaKeySizeInBits,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidAlgorithms = [PlatformTokens.Algorithm],
            ClockSkew = PlatformTokens.ClockSkew,
            NameClaimType = PlatformClaims.Name,
            RoleClaimType = PlatformClaims.Role,
        };
        options.Events = new JwtBearerEvents
        {
            // Browsers cannot set headers on a WebSocket handshake, so a WebSocket request may carry its token as
            // ?access_token= instead (only there, and only without an Authorization header).
            OnMessageReceived = context =>
            {
                if (IsWebSocketHandshake(context.HttpContext) &&
                    !context.Request.Headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.Authorization) &&
                    context.Request.Query.TryGetValue("access_token", out var token) && !string.IsNullOrEmpty(token))
                {
                    context.Token = token;
                }

                return Task.CompletedTask;
            },
            OnTokenValidated = RevokedSessions.CheckAsync,
            OnChallenge = AuthenticationProblems.ChallengeAsync,
        };
    }

    /// <summary>A WebSocket handshake, recognised by its headers: authentication runs before the WebSocket middleware
    /// that would otherwise say so (HTTP/1.1 "Upgrade: websocket", or HTTP/2's extended CONNECT).</summary>
    private static bool IsWebSocketHandshake(HttpContext context) =>
        context.WebSockets.IsWebSocketRequest ||
        (HttpMethods.IsGet(context.Request.Method) &&
         context.Request.Headers.Upgrade.Any(value => string.Equals(value, "websocket", StringComparison.OrdinalIgnoreCase))) ||
        (HttpMethods.IsConnect(context.Request.Method) &&
         context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpExtendedConnectFeature>() is { IsExtendedConnect: true, Protocol: var protocol } &&
         string.Equals(protocol, "websocket", StringComparison.OrdinalIgnoreCase));
}
