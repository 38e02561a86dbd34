namespace Protection.ServiceDefaults.Auth;

/// <summary>The roles of the brief. A supervisor can do everything an officer can.</summary>
public static class Roles
{
    public const string Officer = "officer";
    public const string Supervisor = "supervisor";
    public const string Funder = "funder";
    public const string Auditor = "auditor";
    public const string Admin = "admin";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Officer, Supervisor, Funder, Auditor, Admin,
    };
}

/// <summary>
/// Authorization policies shared by the gateway (per route) and the services (per endpoint),
/// so that both layers enforce the same rule.
/// </summary>
public static class Policies
{
    /// <summary>Protection officers and their supervisors.</summary>
    public const string Officer = "officer";
    public const string Supervisor = "supervisor";
    public const string Funder = "funder";
    public const string Auditor = "auditor";
    public const string Admin = "admin";

    /// <summary>May open a case file: officers and supervisors in full, auditors without personal data.</summary>
    public const string CaseReader = "case-reader";

    /// <summary>May find a case by its reference: officers, supervisors, auditors and administrators.</summary>
    public const string CaseFinder = "case-finder";

    /// <summary>May read a case's history: auditors and supervisors.</summary>
    public const string HistoryReader = "history-reader";

    /// <summary>May read grants: funders, officers and supervisors.</summary>
    public const string GrantReader = "grant-reader";

    /// <summary>Anyone signed in with a role of the platform (the directory of organisations).</summary>
    public const string SignedIn = "signed-in";

    /// <summary>
    /// May read the log of administrative actions (accounts, roles, organisations): administrators and
    /// auditors.
    /// </summary>
    public const string AdminLogReader = "admin-log-reader";

    /// <summary>May read the dashboards: supervisors (their cases' figures), funders (their funds' grants).</summary>
    public const string DashboardReader = "dashboard-reader";

    internal static readonly IReadOnlyDictionary<string, string[]> RolesByPolicy = new Dictionary<string, string[]>
    {
        [Officer] = [Roles.Officer, Roles.Supervisor],
        [Supervisor] = [Roles.Supervisor],
        [Funder] = [Roles.Funder],
        [Auditor] = [Roles.Auditor],
        [Admin] = [Roles.Admin],
        [CaseReader] = [Roles.Officer, Roles.Supervisor, Roles.Auditor],
        [CaseFinder] = [Roles.Officer, Roles.Supervisor, Roles.Auditor, Roles.Admin],
        [HistoryReader] = [Roles.Auditor, Roles.Supervisor],
        [GrantReader] = [Roles.Funder, Roles.Officer, Roles.Supervisor],
        [AdminLogReader] = [Roles.Admin, Roles.Auditor],
        [DashboardReader] = [Roles.Supervisor, Roles.Funder],
        [SignedIn] = [Roles.Officer, Roles.Supervisor, Roles.Funder, Roles.Auditor, Roles.Admin],
    };
}
