namespace TinyNet.Training;

/// <summary>
/// The processes of a data-parallel run, as <see cref="Trainer"/> needs them: its rank, how many
/// there are, and sums across them in a fixed order. Every process runs the same program with
/// the same options and data; each computes the gradients of its shard of every global batch,
/// and the sums combine them so that every process applies the same step. The
/// <c>TinyNet.Distributed</c> package implements it over MPI; the core library depends on none.
/// </summary>
public abstract class DataParallelGroup
{
    /// <summary>This process's number, from 0; rank 0 alone prints progress and writes files.</summary>
    public abstract int Rank { get; }

    /// <summary>How many processes train together; at least 1.</summary>
    public abstract int Size { get; }

    /// <summary>
    /// Replaces <paramref name="values"/> on every rank with the sum of the contributing ranks'
    /// values, added in rank order: ((v0 + v1) + v2) ..., skipping ranks that pass
    /// <paramref name="contributes"/> false (their values are not read; all zeros when none
    /// contributes). Every rank must call it with the same length; the order is fixed, so every
    /// rank gets the same bits, run after run.
    /// </summary>
    /// <param name="values">The same length on every rank.</param>
    /// <param name="contributes">Whether this rank's values count.</param>
    public abstract void SumInRankOrder(Span<float> values, bool contributes);

    /// <summary>Replaces <paramref name="values"/> on every rank with the sum over all ranks, in rank order, in double precision.</summary>
    /// <param name="values">The same length on every rank.</param>
    public abstract void SumInRankOrder(Span<double> values);
}
