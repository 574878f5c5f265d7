package org.cytolake.lake;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What each incremental step last completed, as small JSON documents under
 * {@code <lake>/_state/<step>.json} (for example the configuration fingerprint and the sample
 * fingerprints the gating step has gated). A step writes its state only after its tables are
 * published, so a run that dies part-way leaves the previous state and the next run redoes the
 * work. A state file is written whole (temporary file, then rename); a crash between removing the
 * old one and the rename leaves none, and the next run then redoes the step: never a wrong state.
 */
public final class LakeState {
  public static final String DIR = "_state";
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private final Path dir;
  private final Configuration conf;

  public LakeState(String lakeRoot, Configuration conf) {
    this.dir = new Path(new Path(lakeRoot), DIR);
    this.conf = conf;
  }

  /** The state of a step, or an empty map when it never completed. */
  public Map<String, Object> read(String step) throws IOException {
    Path p = new Path(dir, step + ".json");
    FileSystem fs = p.getFileSystem(conf);
    if (!fs.exists(p)) {
      return new TreeMap<>();
    }
    try (InputStream in = fs.open(p)) {
      return JSON.readValue(in, new TypeReference<TreeMap<String, Object>>() {});
    }
  }

  /** Replaces the state of a step atomically. */
  public void write(String step, Map<String, ?> state) throws IOException {
    Path p = new Path(dir, step + ".json");
    FileSystem fs = p.getFileSystem(conf);
    fs.mkdirs(dir);
    Path tmp = new Path(dir, "." + step + ".json.tmp");
    try (OutputStream out = fs.create(tmp, true)) {
      out.write(JSON.writeValueAsBytes(new TreeMap<>(state)));
    }
    if (fs.exists(p)) {
      fs.delete(p, false);
    }
    if (!fs.rename(tmp, p)) {
      throw new IOException("Cannot write lake state " + p + ": rename of " + tmp + " failed");
    }
  }

  /** Forgets the state of a step (its next run does all the work). */
  public void clear(String step) throws IOException {
    Path p = new Path(dir, step + ".json");
    p.getFileSystem(conf).delete(p, false);
  }
}
