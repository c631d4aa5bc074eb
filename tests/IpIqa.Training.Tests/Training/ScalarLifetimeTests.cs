using IpIqa.Model;
using static TorchSharp.torch;

namespace IpIqa.Training.Tests.Training;

/// <summary>
/// The fine-tuning crash "Expected false to be true ... toFloat at c10/core/Scalar.h" inside a tensor add:
/// a Scalar made for one native call was finalized by a collection during that call. This runs a tensor add
/// of the training path while another thread collects and finalizes without pause; the loops are
/// bounded in iterations. Before the fix (<c>left + right</c>) it failed with that very error.
/// </summary>
public sealed class ScalarLifetimeTests
{
    private const int Iterations = 300;
    private const long Elements = 1 << 20;

    [Fact]
    public void TensorPlusTensor_UnderConcurrentCollections_KeepsItsAlpha()
    {
        using var left = ones(Elements);
        using var right = ones(Elements);

        WhileCollecting(() =>
        {
            using var scope = NewDisposeScope();
            var sum = left.Plus(right);
            Assert.Equal(2f, sum.min().item<float>());
            Assert.Equal(2f, sum.max().item<float>());
        });
    }

    internal static void WhileCollecting(Action step)
    {
        var stop = 0;
        var collector = new Thread(() =>
        {
            for (var i = 0; i < Iterations * 100 && Volatile.Read(ref stop) == 0; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        });
        collector.Start();
        try
        {
            for (var i = 0; i < Iterations; i++)
            {
                step();
            }
        }
        finally
        {
            Volatile.Write(ref stop, 1);
            collector.Join();
        }
    }
}
