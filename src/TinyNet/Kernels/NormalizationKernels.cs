namespace TinyNet.Kernels;

/// <summary>
/// Batch and layer normalization. Batch normalization works on [batch, channels, positions]
/// (positions = 1 for BatchNorm1d over [batch, features], height x width for BatchNorm2d) and
/// normalizes each channel over batch x positions; layer normalization normalizes each row of
/// [rows, features]. Statistics are summed in double in two passes.
/// </summary>
internal static class NormalizationKernels
{
    /// <summary>The mean and the biased variance of each channel over batch x positions.</summary>
    public static void ChannelStatistics(ReadOnlySpan<float> input, int batch, int channels, int positions, Span<float> mean, Span<float> variance)
    {
        double count = (double)batch * positions;
        for (int c = 0; c < channels; c++)
        {
            double sum = 0;
            for (int n = 0; n < batch; n++)
            {
                ReadOnlySpan<float> plane = input.Slice(((n * channels) + c) * positions, positions);
                for (int p = 0; p < positions; p++)
                {
                    sum += plane[p];
                }
            }

            double m = sum / count;
            double squares = 0;
            for (int n = 0; n < batch; n++)
            {
                ReadOnlySpan<float> plane = input.Slice(((n * channels) + c) * positions, positions);
                for (int p = 0; p < positions; p++)
                {
                    double d = plane[p] - m;
                    squares += d * d;
                }
            }

            mean[c] = (float)m;
            variance[c] = (float)(squares / count);
        }
    }

    /// <summary>
    /// The running statistics as PyTorch updates them: runningMean = (1 - momentum) runningMean +
    /// momentum mean, and runningVariance likewise with the unbiased variance, variance * count /
    /// (count - 1), where count is the samples per channel.
    /// </summary>
    public static void UpdateRunning(Span<float> runningMean, Span<float> runningVariance, ReadOnlySpan<float> mean, ReadOnlySpan<float> variance, float momentum, long count)
    {
        float correction = (float)(count / (double)(count - 1));
        for (int c = 0; c < runningMean.Length; c++)
        {
            runningMean[c] = ((1f - momentum) * runningMean[c]) + (momentum * mean[c]);
            runningVariance[c] = ((1f - momentum) * runningVariance[c]) + (momentum * variance[c] * correction);
        }
    }

    /// <summary>inverseDeviation[c] = 1 / sqrt(variance[c] + epsilon).</summary>
    public static void InverseDeviation(ReadOnlySpan<float> variance, float epsilon, Span<float> inverseDeviation)
    {
        for (int c = 0; c < variance.Length; c++)
        {
            inverseDeviation[c] = (float)(1 / Math.Sqrt(variance[c] + (double)epsilon));
        }
    }

    /// <summary>
    /// normalized = (x - mean[c]) * inverseDeviation[c]; output = normalized * weight[c] + bias[c]
    /// (weight and bias empty: not affine).
    /// </summary>
    public static void ChannelNormalize(
        ReadOnlySpan<float> input, ReadOnlySpan<float> mean, ReadOnlySpan<float> inverseDeviation, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        int batch, int channels, int positions, Span<float> normalized, Span<float> output)
    {
        for (int n = 0; n < batch; n++)
        {
            for (int c = 0; c < channels; c++)
            {
                int start = ((n * channels) + c) * positions;
                float scale = weight.IsEmpty ? 1f : weight[c];
                float shift = bias.IsEmpty ? 0f : bias[c];
                for (int p = start; p < start + positions; p++)
                {
                    float xhat = (input[p] - mean[c]) * inverseDeviation[c];
                    normalized[p] = xhat;
                    output[p] = (xhat * scale) + shift;
                }
            }
        }
    }

    /// <summary>
    /// The backward pass of <see cref="ChannelNormalize"/>. gradWeight[c] += sum(dy * xhat) and
    /// gradBias[c] += sum(dy) over the channel (when not empty). With batch statistics, dx =
    /// weight * inverseDeviation * (dy - mean(dy) - xhat * mean(dy * xhat)); with fixed
    /// (running) statistics, dx = weight * inverseDeviation * dy. gradInput empty: not computed.
    /// </summary>
    public static void ChannelNormalizeBackward(
        ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> normalized, ReadOnlySpan<float> inverseDeviation, ReadOnlySpan<float> weight,
        int batch, int channels, int positions, bool batchStatistics, Span<float> gradWeight, Span<float> gradBias, Span<float> gradInput)
    {
        double count = (double)batch * positions;
        for (int c = 0; c < channels; c++)
        {
            double sumDy = 0;
            double sumDyXhat = 0;
            for (int n = 0; n < batch; n++)
            {
                int start = ((n * channels) + c) * positions;
                for (int p = start; p < start + positions; p++)
                {
                    sumDy += gradOutput[p];
                    sumDyXhat += (double)gradOutput[p] * normalized[p];
                }
            }

            if (!gradWeight.IsEmpty)
            {
                gradWeight[c] += (float)sumDyXhat;
                gradBias[c] += (float)sumDy;
            }

            if (gradInput.IsEmpty)
            {
                continue;
            }

            float scale = (weight.IsEmpty ? 1f : weight[c]) * inverseDeviation[c];
            float meanDy = batchStatistics ? (float)(sumDy / count) : 0f;
            float meanDyXhat = batchStatistics ? (float)(sumDyXhat / count) : 0f;
            for (int n = 0; n < batch; n++)
            {
                int start = ((n * channels) + c) * positions;
                for (int p = start; p < start + positions; p++)
                {
                    gradInput[p] = scale * (gradOutput[p] - meanDy - (normalized[p] * meanDyXhat));
                }
            }
        }
    }

    /// <summary>
    /// Layer normalization of each row of [rows, features]: normalized = (x - mean) / sqrt(var +
    /// epsilon) with the row's mean and biased variance; output = normalized * weight + bias.
    /// inverseDeviation[r] is kept for the backward pass.
    /// </summary>
    public static void RowNormalize(
        ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int features, float epsilon,
        Span<float> inverseDeviation, Span<float> normalized, Span<float> output)
    {
        for (int r = 0; r < inverseDeviation.Length; r++)
        {
            ReadOnlySpan<float> x = input.Slice(r * features, features);
            double sum = 0;
            for (int i = 0; i < features; i++)
            {
                sum += x[i];
            }

            double mean = sum / features;
            double squares = 0;
            for (int i = 0; i < features; i++)
            {
                double d = x[i] - mean;
                squares += d * d;
            }

            float inverse = (float)(1 / Math.Sqrt((squares / features) + epsilon));
            inverseDeviation[r] = inverse;
            Span<float> xhat = normalized.Slice(r * features, features);
            Span<float> y = output.Slice(r * features, features);
            for (int i = 0; i < features; i++)
            {
                xhat[i] = (float)(x[i] - mean) * inverse;
                y[i] = (xhat[i] * weight[i]) + bias[i];
            }
        }
    }

    /// <summary>
    /// The backward pass of <see cref="RowNormalize"/>: gradWeight += sum over rows of dy * xhat,
    /// gradBias += sum of dy; with g = dy * weight, dx = inverseDeviation * (g - mean(g) - xhat *
    /// mean(g * xhat)) per row (gradInput empty: not computed).
    /// </summary>
    public static void RowNormalizeBackward(
        ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> normalized, ReadOnlySpan<float> inverseDeviation, ReadOnlySpan<float> weight, int features,
        Span<float> gradWeight, Span<float> gradBias, Span<float> gradInput)
    {
        for (int r = 0; r < inverseDeviation.Length; r++)
        {
            ReadOnlySpan<float> dy = gradOutput.Slice(r * features, features);
            ReadOnlySpan<float> xhat = normalized.Slice(r * features, features);
            double sumG = 0;
            double sumGXhat = 0;
            for (int i = 0; i < features; i++)
            {
                gradWeight[i] += dy[i] * xhat[i];
                gradBias[i] += dy[i];
                double g = dy[i] * weight[i];
                sumG += g;
                sumGXhat += g * xhat[i];
            }

            if (gradInput.IsEmpty)
            {
                continue;
            }

            float meanG = (float)(sumG / features);
            float meanGXhat = (float)(sumGXhat / features);
            Span<float> dx = gradInput.Slice(r * features, features);
            for (int i = 0; i < features; i++)
            {
                dx[i] = inverseDeviation[r] * ((dy[i] * weight[i]) - meanG - (xhat[i] * meanGXhat));
            }
        }
    }
}
