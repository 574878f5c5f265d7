package org.cytolake.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the jar's implementation version (set by Maven) and the Java runtime. */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = CytolakeCli.class.getPackage().getImplementationVersion();
    return new String[] {
      "cytolake " + (v == null ? "(development build)" : v),
      "Java " + System.getProperty("java.version")
    };
  }
}
