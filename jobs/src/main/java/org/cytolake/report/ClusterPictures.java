package org.cytolake.report;

import java.util.List;
import java.util.Objects;

/**
 * The cluster pictures of one clustered panel, as FlowSOM and CATALYST users read them: the
 * metacluster × lineage marker heatmap, the SOM's minimal spanning tree, the embedding by visit and
 * the abundance per metacluster and visit. They are drawn elsewhere (the report package draws no
 * chart of JFreeChart) and come here as SVG elements, each with its own title and axis labels.
 *
 * @param figures one per picture, in the order above
 * @param notes what was left out and why
 */
public record ClusterPictures(
    String panel, String algorithm, List<Figure> figures, List<String> notes) {

  public ClusterPictures {
    Objects.requireNonNull(panel, "panel");
    Objects.requireNonNull(algorithm, "algorithm");
    figures = List.copyOf(figures);
    notes = List.copyOf(notes);
  }

  /**
   * One picture.
   *
   * @param kind heatmap, mst, embedding or abundance
   * @param caption what it shows, one line
   * @param svg an {@code <svg>} element with its title and axis labels
   */
  public record Figure(String kind, String caption, String svg) {
    public Figure {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(caption, "caption");
      Objects.requireNonNull(svg, "svg");
    }
  }

  /**
   * The section {@code <section id="}{@value ReportRenderer#CLUSTER_PICTURES}{@code ">}: one
   * subsection per panel with its pictures, or a line saying there are none.
   */
  static void render(StringBuilder b, List<ClusterPictures> pictures) {
    b.append("<section id=\"")
        .append(ReportRenderer.CLUSTER_PICTURES)
        .append("\"><h2>Cluster pictures</h2>");
    if (pictures.isEmpty()) {
      b.append("<p class=\"empty\">No clusters in the lake (run cytolake cluster).</p>");
    }
    for (ClusterPictures p : pictures) {
      b.append("<h3>Panel ")
          .append(Html.escape(p.panel()))
          .append(", ")
          .append(Html.escape(p.algorithm()))
          .append("</h3><div class=\"grid\">");
      for (Figure f : p.figures()) {
        b.append("<figure class=\"cluster-picture\" data-plot=\"cluster-")
            .append(Html.escape(f.kind()))
            .append('-')
            .append(Html.escape(p.panel()))
            .append("\">")
            .append(f.svg())
            .append("<figcaption>")
            .append(Html.escape(f.caption()))
            .append("</figcaption></figure>");
      }
      b.append("</div>");
      for (String n : p.notes()) {
        b.append("<p class=\"note\">").append(Html.escape(n)).append("</p>");
      }
    }
    b.append("</section>\n");
  }
}
