package org.cytolake.clinical;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Small SDTM-like clinical files with one good or bad record per line; the comments name what each
 * bad line must be quarantined for. Shared by the core unit tests and the Spark job's IT.
 */
public final class ClinicalFixtures {
  private ClinicalFixtures() {}

  public static final List<String> DM =
      List.of(
          "STUDYID,DOMAIN,USUBJID,SUBJID,SITEID,RFSTDTC,BRTHDTC,AGE,AGEU,SEX,RACE,ARM,DISEASE,NAME,"
              + "EXTRA1",
          "TRANSREG,DM,TR-01-001,001,01,2015-01-06,1970-03-15,44,YEARS,F,WHITE,LD-IL2,RA,"
              + "\"Dupont, Marie\",x",
          // age from birth date: 34
          "TRANSREG,DM,TR-01-002,002,01,2015-02-02,1980-07-01,,YEARS,M,WHITE,LD-IL2,SLE,"
              + "\"Martin, Paul\",x",
          // line 4: NEGATIVE_AGE (AGE)
          "TRANSREG,DM,TR-01-003,003,01,2015-03-01,1990-01-01,-3,YEARS,F,ASIAN,LD-IL2,PSO,"
              + "\"Bernard, Julie\",x",
          // line 5: DUPLICATE_RECORD
          "TRANSREG,DM,TR-01-001,001,01,2015-01-06,1970-03-15,44,YEARS,F,WHITE,LD-IL2,RA,"
              + "\"Dupont, Marie\",x",
          // line 6: NEGATIVE_AGE (born after inclusion)
          "TRANSREG,DM,TR-01-004,004,01,2015-03-01,2016-01-01,,YEARS,M,WHITE,LD-IL2,RA,"
              + "\"Petit, Luc\",x",
          // line 7: MISSING_VALUE (USUBJID)
          "TRANSREG,DM,,005,01,2015-03-01,1960-01-01,55,YEARS,M,WHITE,LD-IL2,RA,\"Roux, Anne\",x",
          // line 8: MALFORMED_ROW (5 fields)
          "TRANSREG,DM,TR-01-006,006,01",
          // line 9: MALFORMED_ROW (month 13)
          "TRANSREG,DM,TR-01-007,007,01,2015-13-01,1960-01-01,55,YEARS,M,WHITE,LD-IL2,RA,"
              + "\"Moreau, Jean\",x");

  public static final List<String> SV =
      List.of(
          "VISIT,USUBJID,VISITNUM,SVSTDTC,VISITDY",
          "D1,TR-01-001,1,2015-01-06,1",
          "D8,TR-01-001,3,2015-01-13,",
          "D15,TR-01-001,4,2015-01-10,15", // 4: DATE_BEFORE_INCLUSION (before D8)
          "D1,TR-01-002,1,2015-01-30,1", // 5: DATE_BEFORE_INCLUSION (before RFSTDTC)
          "W3,TR-01-002,2,2015-02-20,20", // 6: UNKNOWN_VISIT
          "D1,TR-99-999,1,2015-01-06,1", // 7: UNKNOWN_PATIENT
          "D8,TR-01-001,3,2015-01-13,8", // 8: DUPLICATE_RECORD
          "D1,TR-01-003,1,2015-03-01,1", // 9: UNKNOWN_PATIENT (DM record rejected)
          "D1,TR-01-002,1,2015-02-02,1");

  public static final List<String> EX =
      List.of(
          "{\"USUBJID\":\"TR-01-001\",\"EXTRT\":\"ALDESLEUKIN\",\"EXDOSE\":1,\"EXDOSU\":\"MIU\","
              + "\"EXROUTE\":\"SUBCUTANEOUS\",\"EXSTDTC\":\"2015-01-06\",\"EXSTDY\":1,"
              + "\"VISIT\":\"D1\"}",
          "{\"USUBJID\":\"TR-01-001\",\"EXTRT\":\"ALDESLEUKIN\",\"EXDOSE\":1.0,\"EXDOSU\":\"MIU\","
              + "\"EXROUTE\":\"SUBCUTANEOUS\",\"EXSTDTC\":\"2015-01-07\",\"EXSTDY\":2,"
              + "\"VISIT\":null}",
          // line 3: OUT_OF_RANGE
          "{\"USUBJID\":\"TR-01-001\",\"EXTRT\":\"ALDESLEUKIN\",\"EXDOSE\":-1,"
              + "\"EXSTDTC\":\"2015-01-08\"}",
          "",
          // line 5: MALFORMED_ROW (not JSON)
          "{\"USUBJID\": \"TR-01-001\", \"EXTRT\": ",
          // line 6: MALFORMED_ROW (EXDOSE)
          "{\"USUBJID\":\"TR-01-002\",\"EXTRT\":\"ALDESLEUKIN\",\"EXDOSE\":\"one\"}");

  public static final List<String> QS =
      List.of(
          "USUBJID,QSTESTCD,QSTEST,QSSTRESN,QSSTRESU,VISIT,VISITNUM,QSDTC,QSDY",
          "TR-01-001,DAS28CRP,\"DAS28-CRP, 4 variables\",4.1,,D1,1,2015-01-06,1",
          "TR-01-001,DAS28CRP,\"DAS28-CRP, 4 variables\",12.5,,M3,8,2015-04-01,86", // OUT_OF_RANGE
          "TR-01-002,SLEDAI,SLEDAI-2K,6,,D1,1,2015-01-01,1", // 4: DATE_BEFORE_INCLUSION
          "TR-01-002,SLEDAI,SLEDAI-2K,abc,,M1,5,2015-03-02,29", // 5: MALFORMED_ROW
          "TR-01-002,SLEDAI,\"SLEDAI \"\"2K\"\"\",4,,M3,8,2015-04-27,85",
          "TR-01-002,,SLEDAI-2K,-2,,W9,9,2015-05-01,"); // 7: MISSING_VALUE and UNKNOWN_VISIT

  /** Lacks LBTESTCD: MISSING_COLUMN for the whole file. */
  public static final List<String> LB =
      List.of(
          "USUBJID,LBTEST,LBSTRESN,VISIT",
          "TR-01-001,C-reactive protein,3.2,D1",
          "TR-01-002,C-reactive protein,1.1,D1");

  public static final List<String> AE =
      List.of(
          "USUBJID,AESEQ,AETERM,AEDECOD,AETOXGR,AESER,AEREL,AESTDTC,AESTDY,AEENDTC",
          "TR-01-001,1,Injection site reaction,Injection site reaction,1,N,RELATED,2015-01-06,1,"
              + "2015-01-08",
          "TR-01-001,2,Fever,Pyrexia,7,N,RELATED,2015-01-07,2,2015-01-08", // 3: OUT_OF_RANGE
          "TR-01-001,3,Headache,Headache,2,Y,NOT RELATED,2015-01-10,5,2015-01-09", // 4: end < start
          "TR-01-002,1,Fatigue,Fatigue,1,N,POSSIBLY,2015-02-03,2,");

  /** Writes dm.csv, sv.csv, ex.jsonl, qs.csv, lb.csv and ae.csv into {@code dir}. */
  public static void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("dm.csv"), String.join("\n", DM) + "\n");
    Files.writeString(dir.resolve("sv.csv"), String.join("\r\n", SV) + "\r\n");
    Files.writeString(dir.resolve("ex.jsonl"), String.join("\n", EX) + "\n");
    Files.writeString(dir.resolve("qs.csv"), String.join("\n", QS) + "\n");
    Files.writeString(dir.resolve("lb.csv"), String.join("\n", LB) + "\n");
    Files.writeString(dir.resolve("ae.csv"), String.join("\n", AE));
  }
}
