using System.Security.Cryptography;
using System.Text;
using Protection.Intake.PersonalData;
using Protection.EventSourcing.PersonalData;

namespace Protection.UnitTests.Intake;

public sealed class SealingPersonalData
{
    private static readonly DefenderDetails Amina = new(
        "Amina Testperson", "Mina", "Women for Peace Cauca",
        new ContactDetails("+57 300 1234567", "amina@example.org", "@amina"),
        "Calle 5 #12-34", [new FamilyMember("Yusuf Testperson", "son")]);

    private readonly PersonalDataVault _vault = new(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void A_sealed_defender_opens_to_the_same_details_with_the_case_key()
    {
        var caseId = Guid.CreateVersion7();
        var (key, stored) = _vault.NewCaseKey(caseId, DateTimeOffset.UtcNow);

        var sealedData = _vault.Seal(key, caseId, Amina);

        var opened = _vault.Open<DefenderDetails>(_vault.Unwrap(stored), caseId, sealedData);
        opened.FullName.ShouldBe(Amina.FullName);
        opened.Contacts.ShouldBe(Amina.Contacts);
        opened.FamilyMembers.ShouldBe(Amina.FamilyMembers);
    }

    [Fact]
    public void The_ciphertext_reveals_nothing_and_differs_every_time()
    {
        var caseId = Guid.CreateVersion7();
        var (key, _) = _vault.NewCaseKey(caseId, DateTimeOffset.UtcNow);

        var first = _vault.Seal(key, caseId, Amina).Ciphertext;
        var second = _vault.Seal(key, caseId, Amina).Ciphertext;

        first.ShouldNotBe(second);
        first.ShouldNotContain("Amina");
        Encoding.UTF8.GetString(Convert.FromBase64String(first)).ShouldNotContain("Amina");
    }

    [Fact]
    public void A_value_moved_to_another_case_or_altered_does_not_open()
    {
        var caseId = Guid.CreateVersion7();
        var (key, _) = _vault.NewCaseKey(caseId, DateTimeOffset.UtcNow);
        var sealedData = _vault.Seal(key, caseId, Amina);

        Should.Throw<CryptographicException>(() =>
            _vault.Open<DefenderDetails>(key, Guid.CreateVersion7(), sealedData));

        var bytes = Convert.FromBase64String(sealedData.Ciphertext);
        bytes[20] ^= 0x01;
        Should.Throw<CryptographicException>(() =>
            _vault.Open<DefenderDetails>(key, caseId, new SealedData(Convert.ToBase64String(bytes))));
    }

    [Fact]
    public void Another_master_key_cannot_unwrap_a_case_key()
    {
        var caseId = Guid.CreateVersion7();
        var (_, stored) = _vault.NewCaseKey(caseId, DateTimeOffset.UtcNow);
        var other = new PersonalDataVault(RandomNumberGenerator.GetBytes(32));

        Should.Throw<CryptographicException>(() => other.Unwrap(stored));
    }

    [Fact]
    public void Outside_Development_a_master_key_must_be_configured_and_valid()
    {
        Should.Throw<InvalidOperationException>(() =>
            PersonalDataVault.FromOptions(new PersonalDataOptions(), isDevelopment: false));
        Should.Throw<InvalidOperationException>(() =>
            PersonalDataVault.FromOptions(new PersonalDataOptions { MasterKey = "not base64!" }, isDevelopment: false));
        Should.Throw<InvalidOperationException>(() => PersonalDataVault.FromOptions(
            new PersonalDataOptions { MasterKey = Convert.ToBase64String(new byte[16]) },
            isDevelopment: false));
        PersonalDataVault.FromOptions(new PersonalDataOptions(), isDevelopment: true).ShouldNotBeNull();
    }
}
