using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using Protection.ServiceDefaults.Secrets;
using Protection.Testing;

namespace Protection.EndToEndTests;

/// <summary>
/// Rolling the signing key over: the new key signs, and the previous one is still published in the
/// key set beside it, so tokens it signed keep validating until they expire.
/// </summary>
public sealed class KeyRolloverTests
{
    [Fact]
    public async Task After_a_rollover_the_key_set_publishes_old_and_new_keys_and_the_new_one_signs()
    {
        using var rsa = RSA.Create(2048);
        var newKey = rsa.ExportPkcs8PrivateKeyPem();
        var newKid = Kid(newKey);
        var previousKid = Kid(PublishedSecrets.DevelopmentSigningKeyPem);
        var database = await TestInfrastructure.CreateDatabaseAsync("e2e_rollover");
        try
        {
            await using var identity = await ServiceProcess.StartAsync(
                "identity-rollover",
                ProtectionSystem.AssemblyOf("services/Identity", "Protection.Identity"),
                new Dictionary<string, string>
                {
                    ["ConnectionStrings__Postgres"] = database,
                    ["Identity__SigningKey"] = newKey,
                    ["Identity__PreviousSigningKeys__0"] = PublishedSecrets.DevelopmentSigningKeyPem,
                    [$"Identity__Clients__{ProtectionSystem.MachineClient}__Type"] = "confidential",
                    [$"Identity__Clients__{ProtectionSystem.MachineClient}__ClientSecret"] =
                        ProtectionSystem.MachineClientSecret,
                    [$"Identity__Clients__{ProtectionSystem.MachineClient}__Roles__0"] = "officer",
                });
            using var http = new HttpClient { BaseAddress = identity.Address };

            var keys = (await http.GetFromJsonAsync<JsonElement>("/.well-known/jwks")).GetProperty("keys")
                .EnumerateArray().Select(k => k.GetProperty("kid").GetString()).ToArray();
            keys.ShouldBe([newKid, previousKid], ignoreOrder: true);

            var tokens = await Browser.ReadTokensAsync(await http.PostAsync(
                "/connect/token",
                new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "client_credentials",
                    ["client_id"] = ProtectionSystem.MachineClient,
                    ["client_secret"] = ProtectionSystem.MachineClientSecret,
                    ["scope"] = "protection-api",
                })));
            Jwt.Header(tokens.AccessToken).GetProperty("kid").GetString().ShouldBe(newKid);
        }
        finally
        {
            await TestInfrastructure.DropDatabaseAsync(database);
        }
    }

    private static string Kid(string pem)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return Base64UrlEncoder.Encode(new RsaSecurityKey(rsa).ComputeJwkThumbprint());
    }
}
