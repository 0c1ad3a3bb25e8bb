using TinyNet;
using TinyNet.Layers;

/// <summary>y = x * gamma, with one learnable scale per feature.</summary>
public sealed class FeatureScale : Layer
{
    private readonly Parameter _gamma;
    private Tensor? _input;   // kept by Forward: Backward needs x for gamma's gradient
    private Tensor? _output;
    private Tensor? _gradInput;

    public FeatureScale(int features)
    {
        _gamma = new Parameter("gamma", new Tensor(features));
        _gamma.Value.AsSpan().Fill(1f);
    }

    public override IReadOnlyList<Parameter> Parameters => [_gamma];

    // input: [batch, features] -> output: [batch, features]
    public override Tensor Forward(Tensor input)
    {
        int batch = input.Dimension(0), features = input.Dimension(1);
        if (_output is null || _output.Dimension(0) != batch)
        {
            _output = new Tensor(batch, features);
        }

        Span<float> y = _output.AsSpan();
        ReadOnlySpan<float> x = input.AsSpan(), gamma = _gamma.Value.AsSpan();
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = x[i] * gamma[i % features];
        }

        _input = input;
        return _output;
    }

    // gradOutput: [batch, features]; adds into gamma's gradient, returns gradInput.
    public override Tensor Backward(Tensor gradOutput)
    {
        Tensor input = _input ?? throw new InvalidOperationException("Backward before Forward.");
        int features = input.Dimension(1);
        if (_gradInput is null || _gradInput.Dimension(0) != input.Dimension(0))
        {
            _gradInput = new Tensor(input.Dimension(0), features);
        }

        ReadOnlySpan<float> x = input.AsSpan(), g = gradOutput.AsSpan(), gamma = _gamma.Value.AsSpan();
        Span<float> gradGamma = _gamma.Gradient.AsSpan(), gradInput = _gradInput.AsSpan();
        for (int i = 0; i < g.Length; i++)
        {
            gradGamma[i % features] += x[i] * g[i];
            gradInput[i] = g[i] * gamma[i % features];
        }

        return _gradInput;
    }

    public override string ToString() => $"FeatureScale(features: {_gamma.Value.Length})";
}
