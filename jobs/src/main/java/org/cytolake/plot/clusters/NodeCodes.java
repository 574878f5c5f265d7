package org.cytolake.plot.clusters;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * The SOM's nodes as the {@code cluster_model} table holds them (one row a node: its metacluster
 * and its code vector as a JSON object column → value), read into a matrix for the tree: columns
 * in the panel's order, then any the panel no longer lists in the codebook's own order.
 *
 * @param columns the code vectors' columns
 * @param codes one code vector per node, node 0 first
 * @param metaclusters the metacluster of each node
 */
public record NodeCodes(List<String> columns, double[][] codes, int[] metaclusters) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public NodeCodes {
    columns = List.copyOf(columns);
    codes = codes.clone();
    metaclusters = metaclusters.clone();
  }

  /** One row of {@code cluster_model}. */
  public record NodeRow(int node, int metacluster, String codebook) {}

  /**
   * Reads the nodes.
   *
   * @param what names the clustering in messages, e.g. "panel P1, flowsom"
   * @param panelColumns the panel's event columns, in panel order
   * @param rows the rows in node order
   * @throws IllegalArgumentException naming the clustering, the node and the column when there is
   *     no node, the nodes are not 0..n−1, or a code value is missing or not a number
   */
  public static NodeCodes of(String what, List<String> panelColumns, List<NodeRow> rows) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot draw the tree of " + what + ": cluster_model has no node (run cluster first)");
    }
    JsonNode first = parse(what, rows.get(0));
    List<String> columns = new ArrayList<>();
    for (String c : panelColumns) {
      if (first.has(c)) {
        columns.add(c);
      }
    }
    first
        .fieldNames()
        .forEachRemaining(
            f -> {
              if (!columns.contains(f)) {
                columns.add(f);
              }
            });
    int n = rows.size();
    double[][] codes = new double[n][columns.size()];
    int[] meta = new int[n];
    for (int i = 0; i < n; i++) {
      NodeRow r = rows.get(i);
      if (r.node() != i) {
        throw new IllegalArgumentException(
            "Cannot draw the tree of "
                + what
                + ": cluster_model's nodes are not 0.."
                + (n - 1)
                + " (node "
                + r.node()
                + " at "
                + i
                + ")");
      }
      meta[i] = r.metacluster();
      JsonNode code = parse(what, r);
      for (int c = 0; c < columns.size(); c++) {
        JsonNode v = code.get(columns.get(c));
        if (v == null || !v.isNumber()) {
          throw new IllegalArgumentException(
              "Cannot draw the tree of "
                  + what
                  + ": node "
                  + i
                  + " of cluster_model has codebook value "
                  + v
                  + " for column "
                  + columns.get(c));
        }
        codes[i][c] = v.doubleValue();
      }
    }
    return new NodeCodes(columns, codes, meta);
  }

  private static JsonNode parse(String what, NodeRow r) {
    try {
      return JSON.readTree(r.codebook());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "Cannot draw the tree of "
              + what
              + ": node "
              + r.node()
              + " of cluster_model has a codebook that is not JSON: "
              + e.getOriginalMessage(),
          e);
    }
  }
}
