namespace IpIqa.Training.Onnx;

/// <summary>The ONNX operators (opset 17) the IP-IQA graphs use.</summary>
public sealed partial class GraphBuilder
{
    public OnnxValue Conv(OnnxValue x, OnnxValue weight, OnnxValue bias, int kernel, int stride = 1, int padding = 0) =>
        Node("Conv", [x, weight, bias],
            OnnxAttribute.Integers("kernel_shape", kernel, kernel),
            OnnxAttribute.Integers("strides", stride, stride),
            OnnxAttribute.Integers("pads", padding, padding, padding, padding));

    public OnnxValue Relu(OnnxValue x) => Node("Relu", [x]);

    public OnnxValue Sigmoid(OnnxValue x) => Node("Sigmoid", [x]);

    public OnnxValue Tanh(OnnxValue x) => Node("Tanh", [x]);

    /// <summary><c>nn.AvgPool2d(k)</c>: a k×k window with stride k and no padding.</summary>
    public OnnxValue AveragePool(OnnxValue x, int kernel) =>
        Node("AveragePool", [x], OnnxAttribute.Integers("kernel_shape", kernel, kernel), OnnxAttribute.Integers("strides", kernel, kernel));

    public OnnxValue Add(OnnxValue a, OnnxValue b) => Node("Add", [a, b]);

    public OnnxValue Mul(OnnxValue a, OnnxValue b) => Node("Mul", [a, b]);

    public OnnxValue MatMul(OnnxValue a, OnnxValue b) => Node("MatMul", [a, b]);

    /// <summary><c>a @ b^T + c</c> for 2-D <paramref name="a"/> (an <c>nn.Linear</c> on [N, in]).</summary>
    public OnnxValue Gemm(OnnxValue a, OnnxValue b, OnnxValue c) => Node("Gemm", [a, b, c], OnnxAttribute.Integer("transB", 1L));

    /// <summary><c>nn.Linear</c> on any rank: <c>x @ weight^T + bias</c>.</summary>
    public OnnxValue Linear(OnnxValue x, OnnxValue weight, OnnxValue bias) => Add(MatMul(x, Transpose(weight, 1, 0)), bias);

    public OnnxValue Softmax(OnnxValue x, int axis = -1) => Node("Softmax", [x], OnnxAttribute.Integer("axis", (long)axis));

    public OnnxValue LayerNorm(OnnxValue x, OnnxValue scale, OnnxValue bias, float epsilon = 1e-5f) =>
        Node("LayerNormalization", [x, scale, bias], OnnxAttribute.Integer("axis", -1L), OnnxAttribute.Real("epsilon", epsilon));

    /// <summary>Reshape; 0 copies the input's dimension (the dynamic batch), -1 is inferred.</summary>
    public OnnxValue Reshape(OnnxValue x, params long[] shape) => Node("Reshape", [x, Int64s(shape)]);

    public OnnxValue Transpose(OnnxValue x, params long[] perm) => Node("Transpose", [x], OnnxAttribute.Integers("perm", perm));

    public OnnxValue ReduceMean(OnnxValue x, long axis, bool keepDims = true) =>
        Node("ReduceMean", [x], OnnxAttribute.Integers("axes", axis), OnnxAttribute.Integer("keepdims", keepDims ? 1L : 0L));

    public OnnxValue Concat(int axis, params OnnxValue[] values) => Node("Concat", values, OnnxAttribute.Integer("axis", (long)axis));

    public OnnxValue Gather(OnnxValue data, OnnxValue indices, int axis = 0) => Node("Gather", [data, indices], OnnxAttribute.Integer("axis", (long)axis));

    public OnnxValue GatherND(OnnxValue data, OnnxValue indices, int batchDims) =>
        Node("GatherND", [data, indices], OnnxAttribute.Integer("batch_dims", (long)batchDims));

    public OnnxValue ArgMax(OnnxValue x, int axis, bool keepDims) =>
        Node("ArgMax", [x], OnnxAttribute.Integer("axis", (long)axis), OnnxAttribute.Integer("keepdims", keepDims ? 1L : 0L));

    public OnnxValue Slice(OnnxValue x, long axis, long start, long end) =>
        Node("Slice", [x, Int64s(start), Int64s(end), Int64s(axis)]);

    public OnnxValue[] Split(OnnxValue x, int axis, int parts) => NodeWithOutputs("Split", [x], parts, OnnxAttribute.Integer("axis", (long)axis));

    public OnnxValue Unsqueeze(OnnxValue x, params long[] axes) => Node("Unsqueeze", [x, Int64s(axes)]);

    public OnnxValue Min(OnnxValue a, OnnxValue b) => Node("Min", [a, b]);

    public OnnxValue Equal(OnnxValue a, OnnxValue b) => Node("Equal", [a, b]);

    public OnnxValue Where(OnnxValue condition, OnnxValue whenTrue, OnnxValue whenFalse) => Node("Where", [condition, whenTrue, whenFalse]);
}
