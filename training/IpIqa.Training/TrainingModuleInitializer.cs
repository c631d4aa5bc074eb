using System.Runtime.CompilerServices;
using IpIqa.Model.Runtime;

namespace IpIqa.Training;

/// <summary>Caps oneDNN (<see cref="OneDnnIsa"/>) before the trainer's first torch call, which may come before any model type is touched.</summary>
internal static class TrainingModuleInitializer
{
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries", Justification = "It must run before TorchSharp loads libtorch.")]
    [ModuleInitializer]
    internal static void Initialize() => OneDnnIsa.Apply();
}
