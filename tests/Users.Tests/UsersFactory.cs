using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PracticePlatform.Testing;

namespace PracticePlatform.Users.Tests;

/// <summary>The users service as it really runs: it checks the tokens it issues itself (no test keys). Each factory
/// gives its requests a client address of its own, so per-address login limits of different tests never meet.</summary>
public sealed class UsersFactory : ServiceFactory<Program>
{
    public UsersFactory(ServersFixture servers)
        : base(servers, "usersdb")
    {
        UseTestTokens = false;
        Settings["LoginThrottling:MaxAttemptsPerAddress"] = "1000";
        Settings["Mail:MailboxDirectory"] = MailboxDirectory;
    }

    /// <summary>Where this factory's service writes its e-mails (no SMTP server is configured).</summary>
    public string MailboxDirectory { get; } = TestDirectories.Create("mailbox");

    public IPAddress ClientAddress { get; } = new(Guid.NewGuid().ToByteArray());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter>(new ClientAddressFilter(ClientAddress)));
    }

    private sealed class ClientAddressFilter(IPAddress address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((HttpContext context, RequestDelegate nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = address;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
