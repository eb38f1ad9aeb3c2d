using System.Runtime.InteropServices;

namespace PracticePlatform.NativeHosting;

/// <summary>The two libc calls .NET does not expose: who we are, and sending a polite signal.</summary>
public static partial class Posix
{
    public const int SigInt = 2;
    public const int SigTerm = 15;

    public static bool IsRoot => OperatingSystem.IsLinux() && GetEffectiveUserId() == 0;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false when the process is gone.</summary>
    public static bool Signal(int pid, int signal) => Kill(pid, signal) == 0;

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
