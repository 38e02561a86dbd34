namespace Protection.Intake.PersonalData;

/// <summary>Everything that identifies or locates a defender. Only ever stored sealed.</summary>
public sealed record DefenderDetails(
    string FullName,
    string? PreferredName,
    string? Organisation,
    ContactDetails Contacts,
    string? ExactLocation,
    IReadOnlyList<FamilyMember> FamilyMembers);

public sealed record ContactDetails(string? Phone, string? Email, string? SecureMessenger);

public sealed record FamilyMember(string Name, string Relationship);

/// <summary>A threat's free-text account and where exactly it happened. Only ever stored sealed.</summary>
public sealed record ThreatDetails(string Description, string? ExactLocation);
