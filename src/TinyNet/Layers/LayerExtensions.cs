using TinyNet.Kernels;

namespace TinyNet.Layers;

/// <summary>Prediction with a trained model: in evaluation mode, in batches, with no backward pass.</summary>
public static class LayerExtensions
{
    /// <summary>
    /// The model's outputs for every sample, computed in evaluation mode (Dropout passes its
    /// input through, normalization uses its running statistics) in batches of
    /// <paramref name="batchSize"/>. Gradients are not touched, and the model's
    /// <see cref="Layer.IsTraining"/> is restored afterwards.
    /// </summary>
    /// <remarks>
    /// A sample's outputs do not depend on the other samples in its batch, but another
    /// <paramref name="batchSize"/> may change their last bits: the matrix products choose how
    /// to sum by their shape (docs/gemm.md), and a batch of other size may be summed in another order.
    /// </remarks>
    /// <param name="model">The model.</param>
    /// <param name="inputs">[samples, ...]: what the model takes, e.g. [samples, features] for an MLP.</param>
    /// <param name="batchSize">Samples per forward pass; at least 1.</param>
    /// <returns>A new tensor [samples, outputs...].</returns>
    /// <exception cref="ArgumentException">The inputs do not fit the model (the message shows both shapes).</exception>
    public static Tensor Predict(this Layer model, Tensor inputs, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (inputs.Rank < 2 || inputs.Dimension(0) == 0)
        {
            throw new ArgumentException($"inputs must be [samples, ...] with at least one sample; got {Tensor.FormatShape(inputs.Shape)}.", nameof(inputs));
        }

        int samples = inputs.Dimension(0);
        int inputSize = inputs.Length / samples;
        bool wasTraining = model.IsTraining;
        model.IsTraining = false;
        try
        {
            var batchBuffer = new TensorBuffer();
            Tensor? result = null;
            int outputSize = 0;
            for (int start = 0; start < samples; start += batchSize)
            {
                int size = Math.Min(batchSize, samples - start);
                int[] shape = [size, .. inputs.Shape.Skip(1)];
                Tensor batch = batchBuffer.Get(shape);
                inputs.AsSpan().Slice(start * inputSize, size * inputSize).CopyTo(batch.AsSpan());
                Tensor output;
                try
                {
                    output = model.Forward(batch);
                }
                catch (ArgumentException error) when (start == 0)
                {
                    throw new ArgumentException($"inputs of shape {Tensor.FormatShape(inputs.Shape)} do not fit the model: {error.Message}", nameof(inputs), error);
                }

                if (result is null)
                {
                    outputSize = output.Length / size;
                    result = new Tensor([samples, .. output.Shape.Skip(1)]);
                }

                output.AsSpan().CopyTo(result.AsSpan().Slice(start * outputSize, size * outputSize));
            }

            return result!;
        }
        finally
        {
            model.IsTraining = wasTraining;
        }
    }

    /// <summary>
    /// The class probabilities of a classifier: the softmax of each row of scores, or, for a
    /// model with one output per sample (a binary classifier trained with
    /// <see cref="Losses.BinaryCrossEntropyWithLogits"/>), the sigmoid of each logit.
    /// </summary>
    /// <param name="model">The classifier.</param>
    /// <param name="inputs">[samples, ...].</param>
    /// <param name="batchSize">Samples per forward pass; at least 1.</param>
    /// <returns>A new tensor [samples, classes], or [samples, 1] for a binary classifier: the probability of class 1.</returns>
    public static Tensor PredictProbabilities(this Layer model, Tensor inputs, int batchSize = 256)
    {
        Tensor scores = Scores(model, inputs, batchSize);
        int columns = scores.Dimension(1);
        if (columns == 1)
        {
            Elementwise.Map(default(SigmoidOperator), scores.AsSpan(), scores.AsSpan());
        }
        else
        {
            MatrixKernels.SoftmaxRows(scores.AsSpan(), columns, scores.AsSpan());
        }

        return scores;
    }

    /// <summary>
    /// The predicted class of each sample: the index of the largest score (the first, on ties),
    /// or, for a model with one output per sample, 1 where the logit is above 0.
    /// </summary>
    /// <param name="model">The classifier.</param>
    /// <param name="inputs">[samples, ...].</param>
    /// <param name="batchSize">Samples per forward pass; at least 1.</param>
    /// <returns>The class index of each sample.</returns>
    public static int[] PredictClasses(this Layer model, Tensor inputs, int batchSize = 256)
    {
        Tensor scores = Scores(model, inputs, batchSize);
        int columns = scores.Dimension(1);
        int[] classes = new int[scores.Dimension(0)];
        MetricKernels.PredictedClasses(scores.AsSpan(), columns, classes);

        return classes;
    }

    /// <summary>The model's outputs, which must be [samples, classes] for the classifier helpers.</summary>
    private static Tensor Scores(Layer model, Tensor inputs, int batchSize)
    {
        Tensor scores = Predict(model, inputs, batchSize);
        if (scores.Rank != 2)
        {
            throw new ArgumentException($"A classifier's output must be [samples, classes]; this model gives {Tensor.FormatShape(scores.Shape)}.", nameof(model));
        }

        return scores;
    }
}
