package org.cytolake.clinical;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClinicalFileReaderTest {

  @Test
  void csvKeepsQuotedCommasEscapedQuotesAndMultiLineFieldsWithTheirStartingLine() {
    String text =
        "\uFEFFusubjid , QSTEST,QSSTRESN\r\n"
            + "A,\"DAS28-CRP, 4 variables\",4.1\r\n"
            + "B,\"SLEDAI \"\"2K\"\"\",6\r\n"
            + "C,\"two\nlines\",7\r\n"
            + "D,plain,8";
    SourceFile f = ClinicalFileReader.csv("clinical/qs.csv", text);
    assertEquals(List.of("USUBJID", "QSTEST", "QSSTRESN"), f.columns());
    assertEquals("usubjid , QSTEST,QSSTRESN", f.headerText());
    assertNull(f.headerProblem());
    assertEquals(4, f.records());
    assertEquals(List.of(2, 3, 4, 6), f.rows().stream().map(SourceRow::line).toList());
    assertEquals("DAS28-CRP, 4 variables", f.rows().get(0).get("QSTEST"));
    assertEquals("A,\"DAS28-CRP, 4 variables\",4.1", f.rows().get(0).text());
    assertEquals("SLEDAI \"2K\"", f.rows().get(1).get("QSTEST"));
    assertEquals("two\nlines", f.rows().get(2).get("QSTEST"));
    assertEquals("C,\"two\nlines\",7", f.rows().get(2).text());
    assertEquals(
        Map.of("USUBJID", "D", "QSTEST", "plain", "QSSTRESN", "8"), f.rows().get(3).values());
  }

  @Test
  void csvRowsWithTheWrongFieldCountAreMalformedAndBlankLinesAreNotRecords() {
    String text = "A,B,C\n1,2,3\n\n   \n4,5\n6,7,8,9\n10,11,12\n";
    SourceFile f = ClinicalFileReader.csv("x.csv", text);
    assertEquals(List.of(2, 7), f.rows().stream().map(SourceRow::line).toList());
    assertEquals(2, f.malformed().size());
    assertEquals(
        new SourceFile.Malformed(5, "4,5", "has 2 fields but the header (line 1) has 3"),
        f.malformed().get(0));
    assertEquals(
        new SourceFile.Malformed(6, "6,7,8,9", "has 4 fields but the header (line 1) has 3"),
        f.malformed().get(1));
    assertEquals(4, f.records());
  }

  @Test
  void csvResumesAfterARecordJacksonCannotRead() {
    String text = "A,B\n1,\"ab\"c\n2,3\n4,\"unclosed\n5,6\n";
    SourceFile f = ClinicalFileReader.csv("x.csv", text);
    assertEquals(List.of(2, 4), f.malformed().stream().map(SourceFile.Malformed::line).toList());
    assertEquals("1,\"ab\"c", f.malformed().get(0).text());
    assertTrue(
        f.malformed().get(0).problem().startsWith("cannot be read as CSV: "),
        f.malformed().get(0).problem());
    assertEquals("4,\"unclosed", f.malformed().get(1).text());
    assertEquals(List.of(3, 5), f.rows().stream().map(SourceRow::line).toList());
    assertEquals("5", f.rows().get(1).get("A"));
  }

  @Test
  void csvWithoutHeaderOrWithAColumnTwiceHasAHeaderProblem() {
    assertEquals(
        "the file is empty (no header line)", ClinicalFileReader.csv("x.csv", "").headerProblem());
    SourceFile twice = ClinicalFileReader.csv("x.csv", "A,B,a\n1,2,3\n");
    assertEquals("the header (line 1) names column A twice", twice.headerProblem());
    assertEquals(1, twice.records());
  }

  @Test
  void jsonLinesReadOneObjectPerLineWithValuesAsText() {
    String text =
        "{\"usubjid\":\"A\",\"AGE\":45,\"BMI\":22.5,\"SEX\":null}\n"
            + "\n"
            + "{\"USUBJID\":\"B\",\"AGE\":\n"
            + "[1,2]\n"
            + "{\"USUBJID\":\"C\",\"ARM\":[\"x\"]}\n"
            + "{\"USUBJID\":\"D\",\"USUBJID\":\"E\"}\n"
            + "{\"USUBJID\":\"F\",\"RACE\":\"WHITE\"}\n";
    SourceFile f = ClinicalFileReader.jsonLines("clinical/dm.jsonl", text);
    assertEquals(List.of(1, 7), f.rows().stream().map(SourceRow::line).toList());
    assertEquals(Map.of("USUBJID", "A", "AGE", "45", "BMI", "22.5"), f.rows().get(0).values());
    assertEquals(List.of("USUBJID", "AGE", "BMI", "RACE"), f.columns());
    assertEquals(
        List.of(3, 4, 5, 6), f.malformed().stream().map(SourceFile.Malformed::line).toList());
    assertTrue(f.malformed().get(0).problem().startsWith("is not valid JSON"));
    assertEquals("is not a JSON object", f.malformed().get(1).problem());
    assertEquals("field ARM holds a JSON array, not a value", f.malformed().get(2).problem());
    assertTrue(f.malformed().get(3).problem().contains("USUBJID"), f.malformed().get(3).problem());
    assertEquals(6, f.records());
  }
}
