namespace PracticePlatform.WebTests;

/// <summary>The accounts the users service seeds in Development (README, "Accounts and access").</summary>
public static class DemoAccounts
{
    public const string EducatorEmail = "educator@demo.practiceplatform.test";
    public const string EducatorPassword = "bedside-manner-2026";
    public const string AdminEmail = "admin@demo.practiceplatform.test";
    public const string AdminPassword = "ward-round-rota-2026";
}
