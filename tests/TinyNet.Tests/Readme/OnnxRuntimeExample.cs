using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

public static class OnnxRuntimeExample
{
    // features: [samples, featureCount], row-major. Returns the outputs, [samples, outputs].
    public static float[] Predict(string modelPath, float[] features, int featureCount)
    {
        using var session = new InferenceSession(modelPath);
        var input = new DenseTensor<float>(features, [features.Length / featureCount, featureCount]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", input)]);
        return results[0].AsEnumerable<float>().ToArray();
    }
}
