namespace Protection.Console.Resources;

/// <summary>
/// The console's texts: <c>Text.resx</c> (English) and <c>Text.{es,fr,ar}.resx</c>; a test fails on a key
/// missing in any of them.
/// </summary>
public sealed class Text;
