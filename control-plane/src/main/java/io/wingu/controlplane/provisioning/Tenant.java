package io.wingu.controlplane.provisioning;

import io.wingu.controlplane.institutions.Delegation;
import io.wingu.controlplane.institutions.DnsNames;
import java.util.List;
import java.util.UUID;

/** Desired state of one institution, as PostgreSQL says: what the reconciler makes true. */
public record Tenant(
    UUID institutionId,
    String code,
    List<String> domains,
    List<Site> sites,
    List<Delegation> delegations) {

  /**
   * A tenant whose domains overlap no one's: {@code delegations} are then its own domains. {@link
   * TenantStore#load} gives every institution's delegation its sites' hostnames fall under.
   */
  public Tenant(UUID institutionId, String code, List<String> domains, List<Site> sites) {
    this(
        institutionId,
        code,
        domains,
        sites,
        domains.stream().map(d -> new Delegation(DnsNames.normalise(d), institutionId)).toList());
  }

  public String namespace() {
    return "inst-" + code;
  }

  /** The sites that occupy the namespace (everything not decommissioned). */
  public List<Site> liveSites() {
    return sites.stream().filter(s -> !s.decommissioning()).toList();
  }

  /** One site of the tenant. */
  public record Site(
      UUID id,
      String name,
      List<String> hostnames,
      long cpuMillis,
      long memoryBytes,
      long storageBytes,
      String status,
      Database database,
      String bundleDigest) {

    public boolean suspended() {
      return "SUSPENDED".equals(status);
    }

    public boolean decommissioning() {
      return "DECOMMISSIONING".equals(status) || "DECOMMISSIONED".equals(status);
    }
  }

  /** A database approved for a site. */
  public record Database(long storageBytes, int connectionLimit) {}
}
