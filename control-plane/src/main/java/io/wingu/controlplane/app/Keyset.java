package io.wingu.controlplane.app;

import java.util.List;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * Keyset paging with Jdbi, written once: the {@link Page}'s cursor parts are matched in order to
 * the SQL expressions the list is ordered by, giving the condition "after the cursor's row", the
 * {@code ORDER BY} and the {@code LIMIT}, with their named bindings.
 *
 * <pre>{@code
 * Keyset keyset = Keyset.descending(page, "r.created_at", "r.id");
 * List<HostingRequest> rows =
 *     keyset.query(h, SELECT + " WHERE r.status = :status").bind("status", status).map(REQUEST).list();
 * page.listing(rows, r -> new JsonObject().put("at", r.createdAt()).put("id", r.id()));
 * }</pre>
 */
public final class Keyset {

  private static final String LIMIT = "keyset_limit";

  private final Page page;
  private final List<String> columns;
  private final boolean descending;

  private Keyset(Page page, boolean descending, String... columns) {
    if (columns.length != page.shape().parts().size()) {
      throw new IllegalArgumentException(
          "the list is ordered by "
              + columns.length
              + " columns but its cursor has "
              + page.shape().parts().size()
              + " parts");
    }
    this.page = page;
    this.columns = List.of(columns);
    this.descending = descending;
  }

  /** Rows ordered by {@code columns} (one per cursor part, in order), smallest first. */
  public static Keyset ascending(Page page, String... columns) {
    return new Keyset(page, false, columns);
  }

  /** Rows ordered by {@code columns} (one per cursor part, in order), largest first. */
  public static Keyset descending(Page page, String... columns) {
    return new Keyset(page, true, columns);
  }

  /**
   * The condition for rows after the cursor's row in this order ({@code TRUE} on the first page): a
   * row comparison, so it uses an index on the columns.
   */
  public String after() {
    if (page.after().isEmpty()) {
      return "TRUE";
    }
    String values =
        page.shape().parts().stream()
            .map(p -> ":" + name(p))
            .collect(Collectors.joining(", ", "(", ")"));
    return "(" + String.join(", ", columns) + (descending ? ") < " : ") > ") + values;
  }

  /**
   * {@code ORDER BY} the columns and {@code LIMIT} to the page's fetch size, with a leading space.
   */
  public String orderAndLimit() {
    String direction = descending ? " DESC" : "";
    return " ORDER BY "
        + columns.stream().map(c -> c + direction).collect(Collectors.joining(", "))
        + " LIMIT :"
        + LIMIT;
  }

  /**
   * This page of {@code selectWhere}, a query that ends in its {@code WHERE} conditions: the rows
   * after the cursor's, in this order, at most the fetch size, with the cursor and limit bound.
   */
  public Query query(Handle h, String selectWhere) {
    return bind(h.createQuery(selectWhere + " AND " + after() + orderAndLimit()));
  }

  /** Binds the cursor's values (when there is one) and the limit that the fragments name. */
  public <S extends SqlStatement<S>> S bind(S statement) {
    page.after()
        .ifPresent(
            cursor -> page.shape().parts().forEach(p -> statement.bind(name(p), cursor.value(p))));
    return statement.bind(LIMIT, page.fetchSize());
  }

  private static String name(Cursor.Part part) {
    return "after_" + part.name();
  }
}
