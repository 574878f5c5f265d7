package org.cytolake.tables;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed pseudonyms for identifiers that must not reach analyst tables: HMAC-SHA256 of a namespaced
 * value under a secret key (the salt), truncated. The same salt and value always give the same
 * pseudonym, so tables join; without the salt the raw value cannot be recovered or confirmed.
 */
public final class Pseudonymizer implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Used when no salt is configured; runs say so loudly. Never for real patient data. */
  public static final String DEVELOPMENT_SALT = "cytolake-development-salt-not-for-real-data";

  private final byte[] key;
  private final boolean development;

  private Pseudonymizer(byte[] key, boolean development) {
    this.key = key.clone();
    this.development = development;
  }

  /** A pseudonymizer keyed with {@code salt}; the development salt when it is null or blank. */
  public static Pseudonymizer withSalt(String salt) {
    boolean dev = salt == null || salt.isBlank();
    return new Pseudonymizer((dev ? DEVELOPMENT_SALT : salt).getBytes(StandardCharsets.UTF_8), dev);
  }

  /** Reads the salt from the environment variable {@code envVar}. */
  public static Pseudonymizer fromEnvironment(String envVar) {
    return withSalt(System.getenv(envVar));
  }

  /** Whether the built-in development salt is in use. */
  public boolean isDevelopmentSalt() {
    return development;
  }

  /** Pseudonymous patient id, e.g. {@code P-3f9a0c12d4e5}. */
  public String patient(String rawPatientId) {
    return "P-" + hmac("patient\u0000" + rawPatientId.trim(), 12);
  }

  /** Pseudonymous sample id of one patient × visit × panel, e.g. {@code S-...}. */
  public String sample(String rawPatientId, String visit, String panel) {
    return "S-"
        + hmac("sample\u0000" + rawPatientId.trim() + "\u0000" + visit + "\u0000" + panel, 16);
  }

  /** A keyed hash of any free text that may identify someone (FCS keywords such as $SRC). */
  public String text(String value) {
    return "H-" + hmac("text\u0000" + value, 16);
  }

  private String hmac(String value, int hexChars) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] h = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h).substring(0, hexChars);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
