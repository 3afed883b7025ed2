package io.wingu.controlplane.requests;

/** Which website templates exist, so a request naming an unknown one is refused. */
@FunctionalInterface
public interface TemplateIds {
  boolean exists(String templateId);
}
