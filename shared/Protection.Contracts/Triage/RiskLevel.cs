using System.Text.Json.Serialization;

namespace Protection.Contracts.Triage;

/// <summary>The four risk levels of the brief, lowest first: comparisons (<c>&gt;</c>) mean "more at risk".</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RiskLevel>))]
public enum RiskLevel
{
    Low,
    Medium,
    High,
    Critical,
}

/// <summary>How the current risk level came about.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RiskBasis>))]
public enum RiskBasis
{
    /// <summary>Derived from the reported threats alone, before anyone assessed the case.</summary>
    Preliminary,

    /// <summary>An officer scored the five Secure, Here and Now dimensions.</summary>
    Assessment,

    /// <summary>A supervisor set the level by hand, with a reason.</summary>
    Override,

    /// <summary>A new threat raised the level above the one in force.</summary>
    Escalation,
}

/// <summary>How a case was closed.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CaseOutcome>))]
public enum CaseOutcome
{
    /// <summary>The threat has subsided and the plan's measures are done.</summary>
    RiskReduced,

    /// <summary>Handed to another organisation or mechanism.</summary>
    Referred,

    /// <summary>The defender no longer wants support.</summary>
    DefenderWithdrew,

    /// <summary>No contact could be kept with the defender.</summary>
    LostContact,

    /// <summary>Opened by mistake or a duplicate of another case.</summary>
    OpenedInError,

    Other,
}

/// <summary>ICAN's four Protection Framework areas; every protection-plan measure belongs to one.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FrameworkArea>))]
public enum FrameworkArea
{
    LegalAndPoliticalSafetyNet,
    ThreatsOnTheGround,
    PeaceTableAndInternationalSpaces,
    EmergencyAssistanceAndRelocation,
}

/// <summary>What happened to a protection-plan measure.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MeasureChange>))]
public enum MeasureChange
{
    Added,
    Completed,
    Cancelled,
}
