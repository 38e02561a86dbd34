using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Protection.ServiceDefaults.Decisions;

namespace Protection.ServiceDefaults.Http;

/// <summary>
/// A problem-details answer with one status, declared in the endpoint's signature
/// (<c>Results&lt;Ok&lt;T&gt;, NotFoundProblem, ConflictProblem&gt;</c>) so the OpenAPI document lists
/// exactly the answers the endpoint gives, as <c>application/problem+json</c>.
/// </summary>
public abstract class TypedProblem(ProblemHttpResult problem) : IResult, IStatusCodeHttpResult
{
    public ProblemHttpResult Problem { get; } = problem;

    public int? StatusCode => Problem.StatusCode;

    public Task ExecuteAsync(HttpContext httpContext) => Problem.ExecuteAsync(httpContext);

    protected static void Declare(EndpointBuilder builder, int status) =>
        builder.Metadata.Add(OpenApiContract.Problem(status));
}

/// <summary>404 as problem details.</summary>
public sealed class NotFoundProblem(ProblemHttpResult problem) : TypedProblem(problem), IEndpointMetadataProvider
{
    public static NotFoundProblem For(string what) => new(Problems.NotFound(what));

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        Declare(builder, StatusCodes.Status404NotFound);
}

/// <summary>403 as problem details: the reader or actor may not see or do this.</summary>
public sealed class ForbiddenProblem(ProblemHttpResult problem) : TypedProblem(problem), IEndpointMetadataProvider
{
    public static ForbiddenProblem Because(string why) => new(Problems.Forbidden(why));

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        Declare(builder, StatusCodes.Status403Forbidden);
}

/// <summary>409 as problem details: a state that does not allow it, or a stale <c>If-Match</c>.</summary>
public sealed class ConflictProblem(ProblemHttpResult problem) : TypedProblem(problem), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        Declare(builder, StatusCodes.Status409Conflict);
}

/// <summary>422 as validation problem details, <c>errors</c> naming the fields.</summary>
public sealed class UnprocessableProblem(ProblemHttpResult problem) : TypedProblem(problem), IEndpointMetadataProvider
{
    public static UnprocessableProblem For(IDictionary<string, string[]> errors, string title) =>
        new(Problems.Unprocessable(errors, title));

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        Declare(builder, StatusCodes.Status422UnprocessableEntity);
}

/// <summary>
/// Maps a decision's <see cref="Outcome{T}"/> to the typed results of the common endpoint shapes, and
/// sets the ETag from a <see cref="IVersioned"/> answer. A refusal of a kind the shape does not declare
/// is a defect in the decision, not an answer: it throws.
/// </summary>
public static class Answers
{
    public static Results<Ok<T>, NotFoundProblem, ForbiddenProblem, ConflictProblem, UnprocessableProblem> Ok<T>(
        HttpContext http, Outcome<T> outcome) => outcome.Refusal switch
        {
            null => Success(http, outcome.Value!, TypedResults.Ok(outcome.Value)),
            { Kind: RefusalKind.NotFound } r => new NotFoundProblem(Problem(r)),
            { Kind: RefusalKind.Forbidden } r => new ForbiddenProblem(Problem(r)),
            { Kind: RefusalKind.Conflict } r => new ConflictProblem(Problem(r)),
            var r => new UnprocessableProblem(Problem(r)),
        };

    /// <summary>For a command with no field rule: it never answers 422.</summary>
    public static Results<Ok<T>, NotFoundProblem, ForbiddenProblem, ConflictProblem> OkWithoutRules<T>(
        HttpContext http, Outcome<T> outcome) => outcome.Refusal switch
        {
            null => Success(http, outcome.Value!, TypedResults.Ok(outcome.Value)),
            { Kind: RefusalKind.NotFound } r => new NotFoundProblem(Problem(r)),
            { Kind: RefusalKind.Forbidden } r => new ForbiddenProblem(Problem(r)),
            { Kind: RefusalKind.Conflict } r => new ConflictProblem(Problem(r)),
            var r => throw Undeclared(r),
        };

    public static Results<Created<T>, NotFoundProblem, ForbiddenProblem, ConflictProblem, UnprocessableProblem>
        Created<T>(HttpContext http, Outcome<T> outcome, Func<T, string> location) => outcome.Refusal switch
        {
            null => Success(http, outcome.Value!, TypedResults.Created(location(outcome.Value!), outcome.Value)),
            { Kind: RefusalKind.NotFound } r => new NotFoundProblem(Problem(r)),
            { Kind: RefusalKind.Forbidden } r => new ForbiddenProblem(Problem(r)),
            { Kind: RefusalKind.Conflict } r => new ConflictProblem(Problem(r)),
            var r => new UnprocessableProblem(Problem(r)),
        };

    /// <summary>For a read of one resource: found and readable, or not.</summary>
    public static Results<Ok<T>, NotFoundProblem, ForbiddenProblem> Read<T>(HttpContext http, Outcome<T> outcome) =>
        outcome.Refusal switch
        {
            null => Success(http, outcome.Value!, TypedResults.Ok(outcome.Value)),
            { Kind: RefusalKind.NotFound } r => new NotFoundProblem(Problem(r)),
            { Kind: RefusalKind.Forbidden } r => new ForbiddenProblem(Problem(r)),
            var r => throw Undeclared(r),
        };

    /// <summary>The problem details a refusal reads as, the same whichever shape declares it.</summary>
    public static ProblemHttpResult Problem(Refusal refusal) => refusal.Kind switch
    {
        RefusalKind.NotFound => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: refusal.Title),
        RefusalKind.Forbidden => Problems.Forbidden(refusal.Title),
        RefusalKind.Conflict => Problems.Conflict(refusal.Title, refusal.Extensions?.ToDictionary()),
        _ => Problems.Unprocessable(refusal.Errors?.ToDictionary() ?? [], refusal.Title),
    };

    private static TResult Success<T, TResult>(HttpContext http, T value, TResult result)
    {
        if (value is IVersioned versioned)
        {
            http.Response.Headers.ETag = $"\"{versioned.Version}\"";
        }

        return result;
    }

    private static InvalidOperationException Undeclared(Refusal refusal) =>
        new($"A {refusal.Kind} refusal from an endpoint that does not declare it.");
}
