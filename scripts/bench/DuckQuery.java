import java.sql.*;
/** Runs DuckDB queries (args: LAKE then SQL, where lake/ is LAKE/) and prints the rows. */
public class DuckQuery {
  public static void main(String[] a) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      for (int i = 1; i < a.length; i++) {
        ResultSet r = s.executeQuery(a[i].replace("lake/", a[0] + "/"));
        int n = r.getMetaData().getColumnCount();
        StringBuilder h = new StringBuilder();
        for (int k = 1; k <= n; k++) h.append(r.getMetaData().getColumnName(k)).append(k < n ? " | " : "");
        System.out.println(h);
        while (r.next()) { StringBuilder b = new StringBuilder(); for (int k = 1; k <= n; k++) b.append(r.getString(k)).append(k < n ? " | " : ""); System.out.println(b); }
        System.out.println();
      }
    }
  }
}
