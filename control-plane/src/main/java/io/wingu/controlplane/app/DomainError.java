package io.wingu.controlplane.app;

import java.util.List;
import java.util.Objects;

/**
 * Why a service refused: the few answers a capability gives when it cannot do what it was asked.
 * Free of HTTP on purpose: the API maps them to problem+json ({@link Problem#of}) and the console
 * to messages in the visitor's language, each in one place. A conflict carries a stable code
 * (kebab-case, part of the API) so that neither has to read the English detail.
 */
public abstract sealed class DomainError extends RuntimeException
    permits DomainError.NotFound, DomainError.Conflict, DomainError.Invalid, DomainError.Forbidden {

  private DomainError(String detail) {
    // an answer, not a fault: no stack trace to fill
    super(detail, null, false, false);
  }

  /** The detail in English, as the API sends it. */
  public String detail() {
    return getMessage();
  }

  public static NotFound notFound(String detail) {
    return new NotFound(detail);
  }

  /** A conflict with what is stored; {@code field} names the input it is about, or is null. */
  public static Conflict conflict(String code, String field, String detail) {
    return new Conflict(code, field, detail);
  }

  public static Invalid invalid(String detail, List<FieldError> errors) {
    return new Invalid(detail, errors);
  }

  public static Forbidden forbidden(String detail) {
    return new Forbidden(detail);
  }

  /** The thing asked about does not exist, or is not the caller's to see. */
  public static final class NotFound extends DomainError {
    NotFound(String detail) {
      super(detail);
    }
  }

  /** The request clashes with what exists already (a taken name, a decision made meanwhile…). */
  public static final class Conflict extends DomainError {
    private final String code;
    private final String field;

    Conflict(String code, String field, String detail) {
      super(detail);
      this.code = Objects.requireNonNull(code);
      this.field = field;
    }

    /** Stable, kebab-case: {@code hostname-taken}, {@code request-not-pending}… */
    public String code() {
      return code;
    }

    /** The input the conflict is about ({@code hostnames}, {@code code}…), or null. */
    public String field() {
      return field;
    }
  }

  /** Input that breaks a rule, one error per field. */
  public static final class Invalid extends DomainError {
    private final List<FieldError> errors;

    Invalid(String detail, List<FieldError> errors) {
      super(detail);
      this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
      return errors;
    }
  }

  /** The caller may not do this to this thing. */
  public static final class Forbidden extends DomainError {
    Forbidden(String detail) {
      super(detail);
    }
  }
}
