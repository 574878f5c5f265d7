import java.util.*; import java.nio.file.*;
import org.cytolake.fcs.*;
import tagbio.umap.Umap;
/**
 * UMAP's optimisation epochs against the picture's neighbourhoods, on real events: for each epoch
 * count given ("default" is umap-learn's rule), the wall time of Tag.bio's UMAP with the report's
 * settings (15 neighbours, min_dist 0.1, seed 1, one thread) and the share of each event's 15
 * nearest neighbours in marker space that are among its 15 nearest in the picture; with the
 * FlowCAP-I CSV also the share of picture neighbours with the event's manual-gate label. Args: a
 * CSV (FL1,FL2,FL4,label) or FCS files joined by ':' (the CytoNorm CyTOF files: 20 lineage
 * channels, asinh(x/5)), an unused count, and the epoch counts joined by ','. Run as
 * BENCHMARKS.md, "UMAP of the cluster pictures", says.
 */
public class UmapEpochs {
  public static void main(String[] a) throws Exception {
    float[][] v; int[] label = null;
    int N = Integer.parseInt(a[1]);
    if (a[0].endsWith(".csv")) {
      List<String> lines = Files.readAllLines(Path.of(a[0])); lines.remove(0);
      v = new float[lines.size()][3]; label = new int[lines.size()];
      for (int i=0;i<lines.size();i++){ String[] f=lines.get(i).split(","); for(int d=0;d<3;d++) v[i][d]=Float.parseFloat(f[d]); label[i]=Integer.parseInt(f[3]); }
      // scale: FlowCAP values 0..1023 linear-ish; leave as is
    } else {
      // CyTOF lineage markers by channel index (1-based): CD45 11, CD66 14, CD7 16, CD19 17, CD45RA 18, CD11b 19, CD4 20, CD8a 21, CD11c 22, CD123 23, TCRgd 27, CD161 32, CD33 33, CD16 40, CD25 44, CD3 45, CD15 47, HLADR 49, CD14 50, CD56 51
      int[] ch = {11,14,16,17,18,19,20,21,22,23,27,32,33,40,44,45,47,49,50,51};
      List<float[]> rows=new ArrayList<>();
      for (String fn : a[0].split(":")) try (FcsFile f = FcsReader.open(Path.of(fn))) { FcsDataset ds=f.first(); EventReader r=f.events(ds); int p=r.parameters();
        float[] all=new float[(int)ds.eventCount()*p]; float[] blk=new float[1<<18]; int at=0,k; while((k=r.read(blk))>0){System.arraycopy(blk,0,all,at,k*p);at+=k*p;}
        for(int e=0;e<ds.eventCount();e++){ float[] row=new float[ch.length]; for(int d=0;d<ch.length;d++){ double x=all[(int)(e*p+ch[d]-1)]; row[d]=(float)(Math.log(x/5+Math.sqrt(x*x/25+1))); } rows.add(row);} }
      v=rows.toArray(new float[0][]);
    }
    int n=v.length; int K=15;
    int[][] hi = knn(v, K);
    for (String eps : a[2].split(",")) {
      Umap u = new Umap(); u.setNumberComponents(2); u.setNumberNearestNeighbours(15); u.setMinDist(0.1f); u.setMetric("euclidean"); u.setSeed(1); u.setThreads(1); u.setVerbose(false);
      if (!eps.equals("default")) u.setNumberEpochs(Integer.parseInt(eps));
      long t0=System.nanoTime(); float[][] xy=u.fitTransform(v); double t=(System.nanoTime()-t0)/1e9;
      int[][] lo = knn(xy, K);
      double pres=0; for(int i=0;i<n;i++){ Set<Integer> s=new HashSet<>(); for(int j:hi[i]) s.add(j); int c=0; for(int j:lo[i]) if(s.contains(j)) c++; pres+=c/(double)K; } pres/=n;
      String lab=""; if(label!=null){ double pur=0; for(int i=0;i<n;i++){int c=0; for(int j:lo[i]) if(label[j]==label[i]) c++; pur+=c/(double)K;} lab=String.format(" label purity of 2D kNN %.4f", pur/n);
        double pur2=0; for(int i=0;i<n;i++){int c=0; for(int j:hi[i]) if(label[j]==label[i]) c++; pur2+=c/(double)K;} lab+=String.format(" (high-dim %.4f)", pur2/n);}
      System.out.printf("n=%d epochs=%s time %.1f s kNN(15) preservation %.4f%s%n", n, eps, t, pres, lab);
    }
  }
  static int[][] knn(float[][] v, int K) {
    int n=v.length; int[][] out=new int[n][K];
    java.util.stream.IntStream.range(0,n).parallel().forEach(i->{ double[] bd=new double[K]; int[] bi=new int[K]; Arrays.fill(bd,Double.MAX_VALUE);
      for(int j=0;j<n;j++){ if(j==i) continue; double s=0; for(int d=0;d<v[i].length;d++){double x=v[i][d]-v[j][d]; s+=x*x;} if(s<bd[K-1]){ int p=K-1; while(p>0&&bd[p-1]>s){bd[p]=bd[p-1];bi[p]=bi[p-1];p--;} bd[p]=s;bi[p]=j; } }
      out[i]=bi; });
    return out;
  }
}
