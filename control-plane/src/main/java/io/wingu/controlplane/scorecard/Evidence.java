package io.wingu.controlplane.scorecard;

import java.time.LocalDate;
import java.util.UUID;

/**
 * What Wingu knows about one institution for one month, gathered by {@link EvidenceStore}; the
 * {@link Scorer} turns it into a score without touching the database.
 */
public record Evidence(
    UUID institutionId,
    String code,
    String name,
    String nameSw,
    /* live sites with a deployed revision, and how many of them run their template's newest version */
    int deployedSites,
    int sitesOnNewestTemplate,
    /* hostnames of live sites, and how many of them have TLS configured on their Ingress; null: not known */
    int hostnames,
    Integer hostnamesWithTls,
    /* the last change of content or deployment on any live site, or null if none */
    LocalDate lastContentChange,
    int liveSites,
    /* live sites whose current revision passed the accessibility check */
    int sitesPassingAccessibility,
    /* 100 % quota alerts raised in the month */
    int quotaExceededAlerts,
    /* entries in the ICT systems register, and how many were reviewed in the last 12 months */
    int systems,
    int systemsReviewed,
    /* requests rejected in the month for missing information */
    int requestsRejectedIncomplete) {}
