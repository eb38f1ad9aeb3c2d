using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticePlatform.Users.Infrastructure;
using PracticePlatform.Users.Model;

namespace Microsoft.AspNetCore.Builder;

public static class InstitutionsApi
{
    public static RouteGroupBuilder MapInstitutionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/users/institutions").WithTags("Institutions");

        api.MapGet("/by-code/{joinCode}", GetByJoinCode)
            .AllowAnonymous()
            .WithName("GetInstitutionByJoinCode")
            .WithSummary("Look up the institution a join code belongs to (shown on the registration form).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    public static async Task<Results<Ok<InstitutionSummary>, ProblemHttpResult>> GetByJoinCode(
        [RegularExpression("^[A-Za-z0-9-]{3,32}$", ErrorMessage = "A join code is 3 to 32 letters, digits or dashes.")]
        string joinCode,
        UsersDbContext db,
        CancellationToken cancellationToken)
    {
        var code = joinCode.ToUpperInvariant();
        var institution = await db.Institutions.AsNoTracking().FirstOrDefaultAsync(i => i.JoinCode == code, cancellationToken);
        return institution is null
            ? TypedResults.Problem($"No institution has the join code '{code}'.", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(InstitutionSummary.From(institution));
    }
}
