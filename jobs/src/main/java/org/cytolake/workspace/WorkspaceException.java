package org.cytolake.workspace;

/** A workspace that cannot be read or applied: the message names the workspace, sample, gate and value. */
public final class WorkspaceException extends Exception {
  private static final long serialVersionUID = 1L;

  public WorkspaceException(String message) {
    super(message);
  }

  public WorkspaceException(String message, Throwable cause) {
    super(message, cause);
  }
}
