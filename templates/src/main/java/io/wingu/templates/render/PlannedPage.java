package io.wingu.templates.render;

import java.util.Map;

/**
 * One HTML page of a site before rendering: where it goes, what it is called, its text for the
 * search index, and the Mustache model its source and the layout are rendered with.
 */
record PlannedPage(
    PageKind kind, String path, String title, String searchText, Map<String, Object> model) {}
