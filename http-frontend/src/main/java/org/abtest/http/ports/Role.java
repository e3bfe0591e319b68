package org.abtest.http.ports;

/** What a credential may do (API.md, Credentials). */
public enum Role {
  VIEWER,
  EXPERIMENTER,
  ADMIN,
  /** An SDK key: assignments, manifest and events, nothing else. */
  SDK;

  public boolean canRead() {
    return this != SDK;
  }

  public boolean canEdit() {
    return this == EXPERIMENTER || this == ADMIN;
  }

  public boolean canEvaluate() {
    return this == SDK || this == ADMIN;
  }

  /** Kill, conclude, the holdout and credentials are for admins only. */
  public boolean isAdmin() {
    return this == ADMIN;
  }
}
