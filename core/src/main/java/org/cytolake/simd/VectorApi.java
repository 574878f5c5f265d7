package org.cytolake.simd;

/**
 * Whether this JVM runs cytolake's incubator Vector API kernels: when the {@code
 * jdk.incubator.vector} module is in the boot layer ({@code spark-submit} adds it; {@code
 * bin/cytolake} adds it for Spark jobs and benchmarks), unless {@code -Dcytolake.vector=false}.
 * Every kernel has a scalar twin that gives the same bits; a class that uses the module is loaded
 * only when {@link #ENABLED} is true.
 */
public final class VectorApi {
  /** True when the Vector API kernels run in this JVM. */
  public static final boolean ENABLED =
      ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
          && !"false".equals(System.getProperty("cytolake.vector"));

  private VectorApi() {}
}
