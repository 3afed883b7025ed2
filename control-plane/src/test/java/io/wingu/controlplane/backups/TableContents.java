package io.wingu.controlplane.backups;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every table of a tenant database as text: equal maps mean equal table contents. */
final class TableContents {

  private TableContents() {}

  /**
   * Each table of the schemas {@code public} and {@code archive}, its rows as text in one order,
   * and the last value of {@code people_id_seq} when the database has it.
   */
  static Map<String, String> of(Connection c) throws SQLException {
    Map<String, String> out = new LinkedHashMap<>();
    try (Statement st = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs =
          st.executeQuery(
              "SELECT schemaname || '.' || tablename FROM pg_tables"
                  + " WHERE schemaname IN ('public', 'archive') ORDER BY 1")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      for (String t : tables) {
        try (ResultSet rs =
            st.executeQuery(
                "SELECT coalesce(string_agg(r::text, E'\\n' ORDER BY r::text), '') FROM "
                    + t
                    + " r")) {
          rs.next();
          out.put(t, rs.getString(1));
        }
      }
      boolean sequence;
      try (ResultSet rs = st.executeQuery("SELECT to_regclass('people_id_seq') IS NOT NULL")) {
        rs.next();
        sequence = rs.getBoolean(1);
      }
      if (sequence) {
        try (ResultSet rs = st.executeQuery("SELECT last_value FROM people_id_seq")) {
          rs.next();
          out.put("people_id_seq", rs.getString(1));
        }
      }
    }
    return out;
  }

  /** Three tables in two schemas, with awkward values: nulls, bytes, JSON, quotes, tabs. */
  static void fill(Connection c, String marker) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE people (id serial PRIMARY KEY, name text NOT NULL, born date,"
              + " photo bytea, note jsonb)");
      st.execute(
          "INSERT INTO people (name, born, photo, note) VALUES"
              + " ('Amani', '1980-01-01', '\\x00ff10', '{\"a\": [1, 2]}'),"
              + " ('Asha', NULL, NULL, NULL),"
              + " ('Juma ''Mkubwa''', '1975-12-31', '\\x', '\"habari\"'),"
              + " ('Neema — ñ ü 漢字', '2000-06-15', decode('deadbeef', 'hex'), '{}')");
      st.execute(
          "CREATE TABLE documents (id bigint PRIMARY KEY, body text, amount numeric(12, 2),"
              + " at timestamptz)");
      st.execute(
          "INSERT INTO documents SELECT g, '"
              + marker
              + " ' || g, g * 1.25, '2026-01-01T00:00:00Z'::timestamptz + g * interval '1 hour'"
              + " FROM generate_series(1, 500) g");
      st.execute("CREATE SCHEMA archive");
      st.execute("CREATE TABLE archive.letters (id int, subject text)");
      st.execute("INSERT INTO archive.letters VALUES (1, 'barua'), (2, NULL), (3, E'tab\\there')");
    }
  }
}
