/**
 * The CPU time of Embedding.fit (UMAP, one thread) on N synthetic events: 8 Gaussian blobs in 9
 * dimensions, as many as P1 has lineage markers. Args: N. Run as BENCHMARKS.md, "UMAP of the cluster
 * pictures", says.
 */
import java.lang.management.ManagementFactory;
import java.util.Random;
public class UmapCpu {
  public static void main(String[] a) {
    int n = Integer.parseInt(a[0]);
    Random r = new Random(1);
    float[][] v = new float[n][9];
    for (int i = 0; i < n; i++) { int c = i % 8; for (int d = 0; d < 9; d++) v[i][d] = (float) (r.nextGaussian() * 0.4 + (d == c ? 4 : 0)); }
    var mx = ManagementFactory.getThreadMXBean();
    long c0 = mx.getCurrentThreadCpuTime(); long w0 = System.nanoTime();
    float[][] xy = org.cytolake.plot.clusters.Embedding.withSeed(1).fit(v);
    System.out.printf("n=%d cpu=%.1f s wall=%.1f s%n", n, (mx.getCurrentThreadCpuTime() - c0) / 1e9, (System.nanoTime() - w0) / 1e9);
  }
}
