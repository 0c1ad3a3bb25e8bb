using System.Runtime.CompilerServices;

namespace TinyNet.Kernels;

/// <summary>
/// How every micro-kernel writes one row of its tile (one or two vectors): C = alpha * sum when beta is
/// 0, without reading C; otherwise C = fma(beta, C, alpha * sum). One rule for all kernels, so
/// they agree to the bit. With alpha = 1 (<see cref="AlphaOne"/>) alpha * sum is sum itself, and
/// the multiply is left out.
/// </summary>
/// <typeparam name="TOps">The vector operations of one width.</typeparam>
/// <typeparam name="TVector">The vector type of that width.</typeparam>
internal static unsafe class TileWriter<TOps, TVector>
    where TOps : struct, ISimd<TVector>
    where TVector : struct
{
    /// <summary>c = alpha * sum (C is not read).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<TAlpha>(TVector sum0, TVector sum1, TVector alphas, float* c)
        where TAlpha : struct, IAlphaScale
    {
        TOps.Store(Scale<TAlpha>(alphas, sum0), c);
        TOps.Store(Scale<TAlpha>(alphas, sum1), c + TOps.Width);
    }

    /// <summary>c = alpha * sum for a one-vector row (C is not read).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<TAlpha>(TVector sum, TVector alphas, float* c)
        where TAlpha : struct, IAlphaScale =>
        TOps.Store(Scale<TAlpha>(alphas, sum), c);

    /// <summary>c = fma(beta, c, alpha * sum) for a one-vector row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Update<TAlpha>(TVector sum, TVector alphas, TVector betas, float* c)
        where TAlpha : struct, IAlphaScale =>
        TOps.Store(TOps.MultiplyAdd(betas, TOps.Load(c), Scale<TAlpha>(alphas, sum)), c);

    /// <summary>c = fma(beta, c, alpha * sum).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Update<TAlpha>(TVector sum0, TVector sum1, TVector alphas, TVector betas, float* c)
        where TAlpha : struct, IAlphaScale
    {
        TOps.Store(TOps.MultiplyAdd(betas, TOps.Load(c), Scale<TAlpha>(alphas, sum0)), c);
        float* c1 = c + TOps.Width;
        TOps.Store(TOps.MultiplyAdd(betas, TOps.Load(c1), Scale<TAlpha>(alphas, sum1)), c1);
    }

    /// <summary>alpha * sum, or sum itself when alpha is 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Scale<TAlpha>(TVector alphas, TVector sum)
        where TAlpha : struct, IAlphaScale =>
        TAlpha.IsOne ? sum : TOps.Multiply(alphas, sum);
}
