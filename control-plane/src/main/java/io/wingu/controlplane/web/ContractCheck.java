package io.wingu.controlplane.web;

import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.OpenAPIContract;
import io.wingu.controlplane.app.FieldError;
import io.wingu.controlplane.app.HttpApi;
import io.wingu.controlplane.app.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a form's answers, as the JSON body the API would receive, against the request schema of
 * the API operation that does the same thing — so a form and the API accept exactly the same input.
 */
final class ContractCheck {

  private static final Pattern REQUIRED = Pattern.compile("property \"?([A-Za-z0-9_]+)\"?");

  private final OpenAPIContract contract;

  ContractCheck(OpenAPIContract contract) {
    this.contract = contract;
  }

  /** A 400 Problem with one error per invalid field, or null when {@code body} is valid. */
  Problem check(String operationId, JsonObject body) {
    var schema =
        contract
            .operation(operationId)
            .getRequestBody()
            .getContent()
            .get("application/json")
            .getSchema();
    OutputUnit result = contract.getSchemaRepository().validator(schema).validate(body);
    if (Boolean.TRUE.equals(result.getValid())) {
      return null;
    }
    List<FieldError> errors = new ArrayList<>();
    collect(result, errors);
    return Problem.badRequest("The form does not match the API contract", errors);
  }

  private static void collect(OutputUnit unit, List<FieldError> errors) {
    if (unit.getErrors() != null && !unit.getErrors().isEmpty()) {
      unit.getErrors().forEach(e -> collect(e, errors));
      return;
    }
    String field = HttpApi.field(unit.getInstanceLocation());
    if (field.equals("body") && unit.getError() != null) {
      // a missing required property is reported on the object that lacks it: name the property
      Matcher m = REQUIRED.matcher(unit.getError());
      if (m.find()) {
        field = m.group(1);
      }
    } else if (unit.getError() != null
        && unit.getError().contains("required")
        && field.indexOf('.') < 0) {
      Matcher m = REQUIRED.matcher(unit.getError());
      if (m.find()) {
        field = field + "." + m.group(1);
      }
    }
    errors.add(new FieldError(field, unit.getError() == null ? "is not valid" : unit.getError()));
  }
}
