using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using PracticePlatform.EventBus;
using PracticePlatform.EventBus.EntityFrameworkCore;
using PracticePlatform.ServiceDefaults.Data;
using PracticePlatform.Users.Infrastructure;
using PracticePlatform.Users.Infrastructure.Mail;
using PracticePlatform.Users.Infrastructure.Security;
using PracticePlatform.Users.IntegrationEvents.EventHandling;
using PracticePlatform.Users.IntegrationEvents.Events;
using PracticePlatform.Users.Model;

namespace Microsoft.Extensions.Hosting;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<UsersDbContext>("usersdb");
        builder.Services.AddMigration<UsersDbContext>(UsersDbSeed.SeedAsync);
        builder.AddEventBus<UsersDbContext>("redis")
            .AddSubscription<MailQueued, MailQueuedHandler>()
            .AddSubscription<FeedbackItemOverridden, FeedbackItemOverriddenHandler>();
        builder.Services.AddValidation();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton(TimeProvider.System);

        builder.Services.AddOptions<TokenSettings>().BindConfiguration(TokenSettings.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TokenSettings>, TokenSettingsValidator>();
        builder.Services.AddOptions<LoginThrottlingSettings>().BindConfiguration(LoginThrottlingSettings.SectionName);

        builder.Services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        builder.Services.AddSingleton<SigningKeyStore>();
        builder.Services.AddSingleton<AccessTokenIssuer>();
        builder.Services.AddSingleton<LoginThrottle>();
        builder.Services.AddScoped<AuditLog>();

        builder.Services.AddOptions<MailSettings>().BindConfiguration(MailSettings.SectionName);
        builder.Services.AddScoped<Mailer>();
        builder.Services.AddSingleton<IMailSender>(services =>
            string.IsNullOrWhiteSpace(services.GetRequiredService<IOptions<MailSettings>>().Value.Smtp.Host)
                ? ActivatorUtilities.CreateInstance<MailboxDirectorySender>(services)
                : ActivatorUtilities.CreateInstance<SmtpMailSender>(services));
        builder.Services.AddHostedService<SigningKeyRotation>();

        // This service checks its own tokens against its key store, not over HTTP against itself.
        builder.Services.AddSingleton<IConfigurationManager<OpenIdConnectConfiguration>, LocalSigningKeys>();
    }
}
