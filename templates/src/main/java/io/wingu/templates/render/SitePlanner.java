package io.wingu.templates.render;

import io.wingu.templates.Language;
import io.wingu.templates.catalog.Template;
import io.wingu.templates.content.ContentEntry;
import io.wingu.templates.content.Document;
import io.wingu.templates.content.Markdown;
import io.wingu.templates.content.SiteContent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/** Decides the pages of a site in one language and builds each page's Mustache model. */
final class SitePlanner {

  /** Content pages with these slugs add their text to the template's page of that name. */
  static final Set<String> MERGED_SLUGS = Set.of("home", "about", "services", "tenders", "contact");

  private static final int SUMMARY_LENGTH = 220;
  private static final int HOME_NEWS = 3;
  private static final Comparator<ContentEntry> NEWEST_FIRST =
      Comparator.comparing(
              ContentEntry::publishedAt, Comparator.nullsLast(Comparator.reverseOrder()))
          .thenComparing(ContentEntry::slug);

  private final Template template;
  private final Language language;
  private final Map<String, Object> site;
  private final SiteContent content;
  private final Uploads uploads;
  private final Map<String, byte[]> embedded;
  private final InterfaceStrings strings;
  private final List<ContentEntry> news;
  private final List<ContentEntry> ownPages;

  /** Where the site is served ({@code https://host/}), or null when unknown (previews, tests). */
  private final java.net.URI siteUrl;

  @SuppressWarnings("unchecked")
  SitePlanner(
      Template template,
      Language language,
      Object site,
      SiteContent content,
      Uploads uploads,
      Map<String, byte[]> embedded,
      java.net.URI siteUrl) {
    this.siteUrl = siteUrl;
    this.template = template;
    this.language = language;
    this.site = (Map<String, Object>) site;
    this.content = content;
    this.uploads = uploads;
    this.embedded = embedded;
    this.strings = new InterfaceStrings(template, language);
    this.news = content.news().stream().sorted(NEWEST_FIRST).toList();
    this.ownPages =
        content.pages().stream()
            .filter(page -> !MERGED_SLUGS.contains(page.slug()))
            .sorted(Comparator.comparing(ContentEntry::slug))
            .toList();
  }

  static String pathOf(Language language, PageKind kind) {
    return language.code() + "/" + kind.fileName();
  }

  static String newsPath(Language language, ContentEntry entry) {
    return language.code() + "/news/" + entry.slug() + ".html";
  }

  static String contentPagePath(Language language, ContentEntry entry) {
    return language.code() + "/pages/" + entry.slug() + ".html";
  }

  List<PlannedPage> plan() {
    List<PlannedPage> pages = new ArrayList<>();
    String institution = institutionName();
    pages.add(
        page(
            PageKind.HOME,
            pathOf(language, PageKind.HOME),
            institution,
            homeText(),
            this::fillHome));
    pages.add(
        page(
            PageKind.ABOUT,
            pathOf(language, PageKind.ABOUT),
            label(PageKind.ABOUT),
            mergedText("about"),
            this::fillAbout));
    pages.add(
        page(
            PageKind.SERVICES,
            pathOf(language, PageKind.SERVICES),
            label(PageKind.SERVICES),
            servicesText(),
            this::fillServices));
    pages.add(
        page(
            PageKind.NEWS,
            pathOf(language, PageKind.NEWS),
            label(PageKind.NEWS),
            "",
            this::fillNews));
    for (ContentEntry entry : news) {
      pages.add(entryPage(PageKind.NEWS_ITEM, newsPath(language, entry), entry));
    }
    pages.add(
        page(
            PageKind.PUBLICATIONS,
            pathOf(language, PageKind.PUBLICATIONS),
            label(PageKind.PUBLICATIONS),
            publicationsText(),
            this::fillPublications));
    pages.add(
        page(
            PageKind.TENDERS,
            pathOf(language, PageKind.TENDERS),
            label(PageKind.TENDERS),
            mergedText("tenders"),
            (model, links) -> model.put("extraHtml", mergedHtml("tenders"))));
    pages.add(
        page(
            PageKind.CONTACT,
            pathOf(language, PageKind.CONTACT),
            label(PageKind.CONTACT),
            mergedText("contact"),
            (model, links) -> model.put("extraHtml", mergedHtml("contact"))));
    for (ContentEntry entry : ownPages) {
      pages.add(entryPage(PageKind.CONTENT_PAGE, contentPagePath(language, entry), entry));
    }
    PlannedPage search =
        page(
            PageKind.SEARCH,
            pathOf(language, PageKind.SEARCH),
            label(PageKind.SEARCH),
            "",
            (model, links) -> model.put("allPages", siteMap(pages, links)));
    pages.add(search);
    return pages;
  }

  private PlannedPage page(
      PageKind kind,
      String path,
      String title,
      String searchText,
      BiConsumer<Map<String, Object>, Links> fill) {
    Links links = new Links(path, embedded);
    Map<String, Object> model = commonModel(kind, path, title, links);
    fill.accept(model, links);
    return new PlannedPage(kind, path, title, searchText, model);
  }

  private PlannedPage entryPage(PageKind kind, String path, ContentEntry entry) {
    String title = entry.title().in(language);
    return page(
        kind,
        path,
        title,
        Markdown.toPlainText(entry.body().in(language)),
        (model, links) -> {
          model.put("entry", entryModel(entry, links, path));
          model.put("newsHref", links.to(pathOf(language, PageKind.NEWS)));
        });
  }

  private Map<String, Object> commonModel(PageKind kind, String path, String title, Links links) {
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("lang", language.code());
    model.put("otherLang", language.other().code());
    model.put("otherLangName", strings.get("languageName." + language.other().code()));
    model.put("t", strings.forMustache());
    model.put("site", site);
    model.put("templateId", template.id());
    model.put("templateVersion", template.version());
    model.put("pageKind", kind.source());
    model.put("isHome", kind == PageKind.HOME);
    model.put("pageTitle", title);
    model.put("root", links.root());
    model.put("homeHref", links.to(pathOf(language, PageKind.HOME)));
    model.put("searchHref", links.to(pathOf(language, PageKind.SEARCH)));
    model.put("newsHref", links.to(pathOf(language, PageKind.NEWS)));
    model.put("publicationsHref", links.to(pathOf(language, PageKind.PUBLICATIONS)));
    model.put("servicesHref", links.to(pathOf(language, PageKind.SERVICES)));
    model.put("contactHref", links.to(pathOf(language, PageKind.CONTACT)));
    model.put("tendersHref", links.to(pathOf(language, PageKind.TENDERS)));
    model.put("aboutHref", links.to(pathOf(language, PageKind.ABOUT)));
    model.put("cssHref", links.to(SiteStyles.PATH));
    model.put("jsHref", links.to(SiteRenderer.SCRIPT_PATH));
    model.put("logoHref", links.to(uploads.logoPath()));
    model.put(
        "switchHref",
        links.root() + language.other().code() + path.substring(language.code().length()));
    model.put("phoneHref", phoneHref(site));
    model.put("alternates", alternates(path));
    // cards sit under a section's h2; on a page of nothing but cards, under its h1
    model.put("cardHeading", 3);
    model.put("nav", new Navigation(language, strings, site, ownPages).items(path, links));
    model.put(
        "footerPages",
        ownPages.stream()
            .map(
                entry ->
                    link(entry.title().in(language), links.to(contentPagePath(language, entry))))
            .toList());
    return model;
  }

  private void fillHome(Map<String, Object> model, Links links) {
    List<Map<String, Object>> cards = news.stream().map(entry -> newsCard(entry, links)).toList();
    model.put("latestNews", cards.subList(0, Math.min(HOME_NEWS, cards.size())));
    model.put("featured", cards.isEmpty() ? null : cards.get(0));
    model.put(
        "moreNews",
        cards.size() > 1 ? cards.subList(1, Math.min(HOME_NEWS + 1, cards.size())) : List.of());
    model.put("extraHtml", mergedHtml("home"));
    model.put("latestPublications", publications(links).stream().limit(HOME_NEWS).toList());
  }

  @SuppressWarnings("unchecked")
  private void fillAbout(Map<String, Object> model, Links links) {
    model.put("extraHtml", mergedHtml("about"));
    Object head = site.get("head");
    if (head instanceof Map<?, ?> map) {
      Map<String, Object> person = new LinkedHashMap<>((Map<String, Object>) map);
      person.put("photoHref", links.to(uploads.photoPath()));
      model.put("head", person);
    }
  }

  private void fillServices(Map<String, Object> model, Links links) {
    model.put("cardHeading", 2);
    model.put("extraHtml", mergedHtml("services"));
  }

  private void fillNews(Map<String, Object> model, Links links) {
    model.put("cardHeading", 2);
    model.put("newsItems", news.stream().map(entry -> newsCard(entry, links)).toList());
  }

  private void fillPublications(Map<String, Object> model, Links links) {
    model.put("publications", publications(links));
    model.put(
        "documents",
        content.documents().stream()
            .sorted(
                Comparator.comparing((Document d) -> d.title().in(language))
                    .thenComparing(Document::id))
            .map(document -> documentModel(document, links))
            .toList());
  }

  private List<Map<String, Object>> publications(Links links) {
    return content.publications().stream()
        .sorted(NEWEST_FIRST)
        .map(
            entry -> {
              Map<String, Object> model = new LinkedHashMap<>();
              model.put("title", entry.title().in(language));
              model.put("anchor", "pub-" + entry.slug());
              model.put(
                  "href",
                  links.to(pathOf(language, PageKind.PUBLICATIONS)) + "#pub-" + entry.slug());
              model.put("date", DisplayFormats.of(entry.publishedAt(), language));
              model.put("html", Markdown.toSafeHtml(entry.body().in(language)));
              return model;
            })
        .toList();
  }

  private Map<String, Object> documentModel(Document document, Links links) {
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("title", document.title().in(language));
    model.put("href", links.to(Uploads.documentPath(document)));
    model.put("fileName", document.fileName());
    model.put("size", DisplayFormats.fileSize(document.size()));
    return model;
  }

  private Map<String, Object> newsCard(ContentEntry entry, Links links) {
    Map<String, Object> card = new LinkedHashMap<>();
    card.put("title", entry.title().in(language));
    card.put("href", links.to(newsPath(language, entry)));
    card.put("date", DisplayFormats.of(entry.publishedAt(), language));
    card.put("summary", Markdown.summary(entry.body().in(language), SUMMARY_LENGTH));
    return card;
  }

  private Map<String, Object> entryModel(ContentEntry entry, Links links, String path) {
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("title", entry.title().in(language));
    model.put("date", DisplayFormats.of(entry.publishedAt(), language));
    model.put("html", Markdown.toSafeHtml(entry.body().in(language)));
    model.put("href", links.to(path));
    return model;
  }

  private List<Map<String, Object>> siteMap(List<PlannedPage> pages, Links links) {
    List<Map<String, Object>> entries = new ArrayList<>();
    for (PlannedPage page : pages) {
      entries.add(link(page.title(), links.to(page.path())));
    }
    entries.add(link(label(PageKind.SEARCH), links.to(pathOf(language, PageKind.SEARCH))));
    return entries;
  }

  /**
   * The page in both languages and the language chooser (x-default), as absolute URLs under the
   * site's address; none when the address is unknown.
   */
  private List<Map<String, Object>> alternates(String path) {
    if (siteUrl == null) {
      return List.of();
    }
    String rest = path.substring(language.code().length());
    List<Map<String, Object>> out = new ArrayList<>();
    for (Language l : Language.values()) {
      out.add(Map.of("lang", l.code(), "href", siteUrl.resolve(l.code() + rest).toString()));
    }
    out.add(Map.of("lang", "x-default", "href", siteUrl.toString()));
    return out;
  }

  /**
   * The contact phone as a {@code tel:} URI: its digits and a leading plus only (RFC 3966's global
   * number, as E.164 writes it), since the schema lets the shown number keep spaces, dashes and
   * parentheses that a URI may not hold. Null when the site gives no phone.
   */
  static String phoneHref(Object site) {
    if (site instanceof Map<?, ?> s
        && s.get("contacts") instanceof Map<?, ?> contacts
        && contacts.get("phone") instanceof String phone) {
      String digits = phone.replaceAll("[^0-9]", "");
      return "tel:" + (phone.strip().startsWith("+") ? "+" : "") + digits;
    }
    return null;
  }

  private static Map<String, Object> link(String label, String href) {
    Map<String, Object> link = new LinkedHashMap<>();
    link.put("label", label);
    link.put("href", href);
    return link;
  }

  private Optional<ContentEntry> merged(String slug) {
    return content.pages().stream().filter(page -> page.slug().equals(slug)).findFirst();
  }

  private String mergedHtml(String slug) {
    return merged(slug).map(entry -> Markdown.toSafeHtml(entry.body().in(language))).orElse("");
  }

  private String mergedText(String slug) {
    return merged(slug).map(entry -> Markdown.toPlainText(entry.body().in(language))).orElse("");
  }

  private String label(PageKind kind) {
    return strings.get("nav." + kind.key());
  }

  @SuppressWarnings("unchecked")
  private String institutionName() {
    return String.valueOf(((Map<String, Object>) site.get("institution")).get("name"));
  }

  private String homeText() {
    return String.join(" ", SearchText.of(site.get("institution")), mergedText("home")).strip();
  }

  private String servicesText() {
    return String.join(" ", SearchText.of(site.get("services")), mergedText("services")).strip();
  }

  private String publicationsText() {
    List<String> parts = new ArrayList<>();
    content.publications().forEach(entry -> parts.add(entry.title().in(language)));
    content.documents().forEach(document -> parts.add(document.title().in(language)));
    return String.join(" ", parts);
  }
}
