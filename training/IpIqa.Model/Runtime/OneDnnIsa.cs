using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace IpIqa.Model.Runtime;

/// <summary>
/// Holds oneDNN, libtorch's CPU convolution library, to SSE4.1 kernels before libtorch loads.
/// <para>
/// Measured on the project's CI machine (AMD EPYC, AVX-512, a virtual machine): the training smoke
/// test got NaN losses at random steps in about half its runs, on this code and on the previous
/// release. With <c>DNNL_MAX_CPU_ISA=SSE41</c> it passed 4 of 4 runs (and 11 of 11 with MKL and ATen
/// held down too); holding MKL alone, or ATen alone, did not help, and holding oneDNN at AVX2 still
/// failed. So oneDNN's AVX2/AVX-512 JIT kernels are at fault there, below this project. TorchSharp
/// cannot switch oneDNN off, so its instruction set is capped instead: correct CPU training first;
/// GPU training, where the real models are trained, is unaffected.
/// </para>
/// <para>
/// <c>IPIQA_ONEDNN_ISA=native</c> keeps oneDNN's own choice, and a <c>DNNL_MAX_CPU_ISA</c> or
/// <c>ONEDNN_MAX_CPU_ISA</c> the user set is never changed. The variables go into the native
/// environment with <c>setenv</c>: oneDNN reads them with <c>getenv</c>, which .NET's
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not reach on Unix.
/// </para>
/// </summary>
public static partial class OneDnnIsa
{
    public const string Variable = "IPIQA_ONEDNN_ISA";
    public const string Cap = "SSE41";

    private static readonly string[] OneDnnVariables = ["DNNL_MAX_CPU_ISA", "ONEDNN_MAX_CPU_ISA"];
    private static int _applied;

    /// <summary>True once the cap is set in this process (false: native was asked for, the user set it, or not Linux).</summary>
    public static bool Capped { get; private set; }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries", Justification = "It must run before TorchSharp loads libtorch, whichever entry point comes first.")]
    [ModuleInitializer]
    internal static void Initialize() => Apply();

    /// <summary>Sets the cap unless <see cref="Variable"/> is <c>native</c> or the user set one; runs once per process.</summary>
    public static void Apply()
    {
        if (Interlocked.Exchange(ref _applied, 1) == 1 || !OperatingSystem.IsLinux()
            || string.Equals(Environment.GetEnvironmentVariable(Variable), "native", StringComparison.OrdinalIgnoreCase)
            || OneDnnVariables.Any(v => Environment.GetEnvironmentVariable(v) is not null))
        {
            return;
        }

        foreach (var name in OneDnnVariables)
        {
            if (SetEnv(name, Cap, 0) == 0)
            {
                Environment.SetEnvironmentVariable(name, Cap);
                Capped = true;
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
