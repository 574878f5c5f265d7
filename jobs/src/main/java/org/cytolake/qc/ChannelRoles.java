package org.cytolake.qc;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a channel measures, from its {@code $PnN} as instruments write it. Used to choose the default
 * channels of the QC and the default transform; a caller that knows better names channels in
 * {@link QcParams#channels()} and transforms in {@link QcChannel}.
 */
public final class ChannelRoles {
  /** FSC, SSC (BD, Cytek, Beckman {@code SSC1-Area}), FS / SS (Beckman, iCyt {@code FS-Lin}). */
  private static final Pattern SCATTER = Pattern.compile("^(FSC|SSC|FS|SS)([^A-Z].*)?$");

  /** A metal isotope channel of mass cytometry: {@code (Pd104)Di}, {@code Ir191Di}. */
  private static final Pattern MASS = Pattern.compile("^\\(?[A-Z][a-z]?\\d{2,3}\\)?D[id]$");

  private ChannelRoles() {}

  /**
   * A clock: {@code Time}, {@code TIME2} (Beckman's high word), {@code HDR-T} (Miltenyi). Never a
   * signal, never checked for margins.
   */
  public static boolean isTimeLike(String name) {
    String n = upper(name);
    return n.startsWith("TIME") || n.equals("HDR-T");
  }

  /** Forward or side scatter (area, height or width). */
  public static boolean isScatter(String name) {
    return SCATTER.matcher(upper(name)).matches();
  }

  /**
   * A pulse width or length ({@code FSC-W}, {@code FL2-W}, {@code FSC-Width}, {@code Width},
   * CyTOF's {@code Cell_length}, {@code Event_length}): a doublet discriminator whose values pile
   * up at the range's top by design, so not a signal the QC checks.
   */
  public static boolean isWidth(String name) {
    String n = upper(name);
    return n.endsWith("-W") || n.contains("WIDTH") || n.endsWith("LENGTH");
  }

  /** A mass cytometry (CyTOF) metal channel. */
  public static boolean isMass(String name) {
    return MASS.matcher(name.trim()).matches();
  }

  private static String upper(String name) {
    return name.trim().toUpperCase(Locale.ROOT);
  }
}
