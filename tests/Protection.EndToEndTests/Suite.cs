using System.Runtime.CompilerServices;
using Protection.Testing;

namespace Protection.EndToEndTests;

internal static class Suite
{
    /// <summary>
    /// Before any test: this suite's RabbitMQ virtual host is its own (see <see cref="TestInfrastructure.Suite"/>).
    /// </summary>
    [ModuleInitializer]
    internal static void Name() => TestInfrastructure.Suite = "e2e";
}
