package org.cytolake.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferenceLabelsTest {
  @TempDir Path dir;

  @Test
  void perLineLabelsQuotedOrNot() throws Exception {
    Path f = Files.writeString(dir.resolve("l.txt"), "T\n\"NK cells\"\nUnlabeled\n");
    assertEquals(
        List.of("T", "NK cells", "Unlabeled"),
        ReferenceLabels.read(f, List.of(dir.resolve("a.fcs")), new int[] {3}));
  }

  @Test
  void perLineCountMustMatchEvents() throws Exception {
    Path f = Files.writeString(dir.resolve("l.txt"), "T\nB\n");
    assertThrows(
        IllegalArgumentException.class,
        () -> ReferenceLabels.read(f, List.of(dir.resolve("a.fcs")), new int[] {3}));
  }

  @Test
  void truthCsvGzMatchesFilesByPathSuffixInFileOrder() throws Exception {
    Path f = dir.resolve("truth.csv.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
      out.write(
          ("file,event_index,label\nfcs/d1/b.fcs,0,B\nfcs/d1/a.fcs,0,T\nfcs/d1/a.fcs,1,NK\n"
                  + "fcs/d1/other.fcs,0,x\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    Path a = dir.resolve("fcs/d1/a.fcs");
    Path b = dir.resolve("fcs/d1/b.fcs");
    assertEquals(List.of("T", "NK", "B"), ReferenceLabels.read(f, List.of(a, b), new int[] {2, 1}));
  }
}
