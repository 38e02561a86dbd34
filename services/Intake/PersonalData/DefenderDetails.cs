namespace Protection.Intake.PersonalData;

/// <summary>
/// Everything that identifies or locates a defender. Only ever stored sealed. The region is here,
/// not beside the country in clear: a province or district narrows a defender down to a few people.
/// </summary>
public sealed record DefenderDetails(
    string FullName,
    string? PreferredName,
    string? Organisation,
    ContactDetails Contacts,
    string? ExactLocation,
    IReadOnlyList<FamilyMember> FamilyMembers,
    string? Region = null);

public sealed record ContactDetails(string? Phone, string? Email, string? SecureMessenger);

public sealed record FamilyMember(string Name, string Relationship);

/// <summary>A threat's free-text account, its region and where exactly it happened. Only ever stored sealed.</summary>
public sealed record ThreatDetails(string Description, string? ExactLocation, string? Region = null);
