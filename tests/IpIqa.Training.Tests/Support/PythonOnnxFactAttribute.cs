namespace IpIqa.Training.Tests.Support;

/// <summary>A fixture fact that is also skipped, with a message saying so, when no Python with onnx is installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PythonOnnxFactAttribute : FactAttribute
{
    public PythonOnnxFactAttribute(params string[] requiredFixtures)
    {
        Skip = Fixtures.MissingReason(requiredFixtures) ?? (PythonOnnx.Interpreter is null ? PythonOnnx.SkipReason : null);
    }
}
