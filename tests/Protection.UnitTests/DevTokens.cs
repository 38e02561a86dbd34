using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Protection.ServiceDefaults.Auth;

namespace Protection.UnitTests;

public sealed class DevTokens
{
    private static AuthOptions Options(string key = "a-test-signing-key-that-is-long-enough-123") => new() { SigningKey = key };

    [Fact]
    public async Task An_issued_token_validates_with_its_subject_and_roles()
    {
        var options = Options();
        var token = new DevTokenIssuer(options, TimeProvider.System).Issue("olivia", [Roles.Officer, Roles.Supervisor]);

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, AuthenticationSetup.ValidationParameters(options));

        result.IsValid.ShouldBeTrue();
        result.ClaimsIdentity.Name.ShouldBe("olivia");
        result.ClaimsIdentity.FindAll(AuthenticationSetup.RoleClaim).Select(c => c.Value).ShouldBe([Roles.Officer, Roles.Supervisor]);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_or_expired_is_refused()
    {
        var options = Options();
        var forged = new DevTokenIssuer(Options("another-signing-key-that-is-long-enough-456"), TimeProvider.System).Issue("mallory", [Roles.Admin]);
        var past = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-2));
        var expired = new DevTokenIssuer(options, past).Issue("olivia", [Roles.Officer]);

        (await new JsonWebTokenHandler().ValidateTokenAsync(forged, AuthenticationSetup.ValidationParameters(options))).IsValid.ShouldBeFalse();
        (await new JsonWebTokenHandler().ValidateTokenAsync(expired, AuthenticationSetup.ValidationParameters(options))).IsValid.ShouldBeFalse();
    }
}
