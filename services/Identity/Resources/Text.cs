namespace Protection.Identity.Resources;

/// <summary>
/// The sign-in, enrolment and password pages' texts: <c>Text.resx</c> (English, its keys) and
/// <c>Text.{es,fr,ar}.resx</c>.
/// </summary>
public sealed class Text;
