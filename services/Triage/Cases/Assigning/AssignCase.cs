using System.ComponentModel.DataAnnotations;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Http;
using Protection.Triage.Cases;
using Protection.Triage.Reading;

namespace Protection.Triage.Assigning;

public sealed record AssignmentRequest
{
    /// <summary>The officer's user id (the <c>sub</c> of their token), not a name.</summary>
    [Required, RegularExpression("^[A-Za-z0-9._:@-]{1,120}$", ErrorMessage = "Use the officer's user id (letters, digits and . _ : @ -).")]
    public string? Officer { get; init; }
}

public static class AssignCase
{
    /// <summary><c>POST /api/cases/{id}/assignment</c> (supervisor): from now on the case is this officer's, and only theirs among officers.</summary>
    public static Task<Results<Ok<TriageView>, ProblemHttpResult>> Handle(
        Guid id, AssignmentRequest request, HttpContext http, IDocumentSession session, TimeProvider clock, CancellationToken cancellationToken) =>
        CaseCommands.Execute(id, http, session, clock, Actor.Supervisor, mustBeOpen: true, (@case, now) =>
            @case.AssignedTo == request.Officer
                ? Problems.Conflict($"The case is already assigned to {request.Officer}.")
                : new object[] { new OfficerAssigned(id, request.Officer!, @case.AssignedTo, http.User.UserId(), now) },
            cancellationToken);
}
