using IpIqa.Model.Runtime;

namespace IpIqa.Model.Tests;

public sealed class OneDnnIsaTests
{
    [Fact]
    public void Loading_the_model_library_caps_oneDNN_before_libtorch_loads_unless_told_otherwise()
    {
        OneDnnIsa.Apply();
        if (Environment.GetEnvironmentVariable(OneDnnIsa.Variable) is { } choice && choice.Equals("native", StringComparison.OrdinalIgnoreCase))
        {
            Assert.False(OneDnnIsa.Capped);
            return;
        }

        Assert.True(OneDnnIsa.Capped || Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA") is not null, "oneDNN was neither capped nor set by the user");
        Assert.NotNull(Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA"));
    }
}
