using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using PracticePlatform.Content.Infrastructure;
using PracticePlatform.ServiceDefaults.Authentication;

namespace Microsoft.AspNetCore.Builder;

/// <summary>What the content endpoints need, injected as one parameter.</summary>
public sealed record ContentServices(
    [FromServices] ContentDbContext Db,
    [FromServices] ICurrentUser User,
    [FromServices] CatalogueCache Cache,
    [FromServices] IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> JsonOptions,
    [FromServices] TimeProvider Time)
{
    public JsonSerializerOptions Json => JsonOptions.Value.SerializerOptions;
}
