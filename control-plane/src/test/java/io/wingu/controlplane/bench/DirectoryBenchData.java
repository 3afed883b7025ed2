package io.wingu.controlplane.bench;

import io.wingu.controlplane.directory.DirectoryVocabulary;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * What the directory benchmark loads and asks: institutions and service entries named from real
 * Swahili and English public-service words (a few accented), and visitors' questions drawn from the
 * same words, as typed (upper case, capitalised, accents left out).
 */
final class DirectoryBenchData {

  /** A topic of a category, in both languages (a phrase; its words are what visitors type). */
  record Topic(String category, String sw, String en) {}

  /** Topics by directory category: every category of DirectoryVocabulary has some. */
  static final Map<String, List<Topic>> TOPICS = new LinkedHashMap<>();

  private static void topics(String category, String... swEn) {
    List<Topic> list = new ArrayList<>();
    for (int i = 0; i < swEn.length; i += 2) {
      list.add(new Topic(category, swEn[i], swEn[i + 1]));
    }
    TOPICS.put(category, list);
  }

  static {
    topics(
        "health",
        "afya",
        "health",
        "hospitali",
        "hospital",
        "zahanati",
        "dispensary",
        "kliniki ya mama na mtoto",
        "mother and child clinic",
        "chanjo",
        "vaccination",
        "dawa",
        "medicine",
        "bima ya afya",
        "health insurance");
    topics(
        "education",
        "elimu",
        "education",
        "shule",
        "school",
        "chuo",
        "college",
        "mkopo wa elimu ya juu",
        "higher education student loan",
        "mtihani",
        "examination",
        "udahili",
        "admission",
        "shule ya awali",
        "crèche and pre-school");
    topics(
        "land",
        "ardhi",
        "land",
        "hati miliki",
        "title deed",
        "kiwanja",
        "plot",
        "ramani ya upimaji",
        "survey map",
        "kodi ya pango la ardhi",
        "land rent",
        "mipango miji",
        "town planning");
    topics(
        "business",
        "leseni ya biashara",
        "business licence",
        "usajili wa kampuni",
        "company registration",
        "zabuni",
        "tender",
        "jina la biashara",
        "business name",
        "leseni ya mgahawa",
        "café licence",
        "viwanda",
        "industry");
    topics(
        "local-government",
        "halmashauri",
        "council",
        "kibali cha ujenzi",
        "building permit",
        "soko",
        "market",
        "ushuru wa huduma",
        "service levy",
        "mtaa",
        "street",
        "makaburi",
        "cemetery");
    topics(
        "agriculture",
        "kilimo",
        "agriculture",
        "mbolea ya ruzuku",
        "subsidised fertiliser",
        "mifugo",
        "livestock",
        "uvuvi",
        "fisheries",
        "mbegu bora",
        "certified seeds",
        "ushirika",
        "coöperative societies");
    topics(
        "finance",
        "kodi",
        "tax",
        "malipo ya serikali",
        "government payments",
        "pensheni",
        "pension",
        "bima",
        "insurance",
        "mkopo",
        "loan",
        "risiti",
        "receipt");
    topics(
        "justice",
        "mahakama",
        "court",
        "msaada wa kisheria",
        "legal aid",
        "polisi",
        "police",
        "hati ya kiapo",
        "affidavit",
        "mirathi",
        "probate",
        "sheria",
        "law");
    topics(
        "transport",
        "leseni ya udereva",
        "driving licence",
        "usajili wa gari",
        "vehicle registration",
        "barabara",
        "road",
        "usafiri",
        "transport",
        "bandari",
        "port",
        "reli",
        "railway");
    topics(
        "water-energy",
        "maji",
        "water",
        "umeme",
        "power",
        "bili ya maji",
        "water bill",
        "nishati",
        "energy",
        "gesi",
        "gas",
        "mita ya umeme",
        "electricity meter");
    topics(
        "social-welfare",
        "ustawi wa jamii",
        "social welfare",
        "wazee",
        "elderly",
        "watoto",
        "children",
        "watu wenye ulemavu",
        "disability",
        "makao ya watoto",
        "children's home",
        "ruzuku ya kaya maskini",
        "household cash transfer");
    topics(
        "identity",
        "cheti cha kuzaliwa",
        "birth certificate",
        "cheti cha kifo",
        "death certificate",
        "kitambulisho",
        "identity card",
        "pasipoti",
        "passport",
        "uraia",
        "citizenship",
        "cheti cha ndoa",
        "marriage certificate",
        "visa ya mchumba",
        "fiancé visa");
    topics(
        "employment",
        "ajira",
        "jobs",
        "nafasi za kazi",
        "vacancies",
        "kibali cha kazi",
        "work permit",
        "mafunzo",
        "training",
        "wasifu",
        "résumé",
        "usajili wa wanaotafuta kazi",
        "jobseeker registration");
    topics(
        "tourism",
        "utalii",
        "tourism",
        "hifadhi ya taifa",
        "national park",
        "hoteli",
        "hotel",
        "mgahawa",
        "café",
        "mwongozo wa watalii",
        "tour guide",
        "makumbusho",
        "museum");
    topics(
        "environment",
        "mazingira",
        "environment",
        "misitu",
        "forest",
        "tathmini ya athari",
        "impact assessment",
        "taka",
        "waste",
        "hali ya hewa",
        "weather",
        "miti",
        "trees");
    topics(
        "other",
        "taarifa",
        "information",
        "malalamiko",
        "complaints",
        "huduma kwa mteja",
        "customer care",
        "maktaba",
        "library",
        "takwimu",
        "statistics",
        "habari",
        "news");
    if (!TOPICS.keySet().equals(new LinkedHashSet<>(DirectoryVocabulary.CATEGORIES))) {
      throw new IllegalStateException(
          "topics must cover exactly " + DirectoryVocabulary.CATEGORIES);
    }
  }

  /** What one does with a topic: the service's name is the action applied to it. */
  private static final String[][] ACTIONS = {
    {"Maombi ya %s", "%s application"},
    {"Usajili wa %s", "%s registration"},
    {"Malipo ya %s", "%s payment"},
    {"Taarifa za %s", "%s information"},
    {"Huduma za %s", "%s services"},
    {"Kuhuisha %s", "%s renewal"},
    {"Ukaguzi wa %s", "%s inspection"},
    {"Kufuatilia ombi la %s", "%s request tracking"},
    {"%s", "%s"},
  };

  /** Kinds of institution, with their name in both languages around a place name. */
  private static final String[][] KINDS = {
    {"Halmashauri ya Wilaya ya %s", "%s District Council"},
    {"Halmashauri ya Manispaa ya %s", "%s Municipal Council"},
    {"Hospitali ya Rufaa ya Mkoa wa %s", "%s Regional Referral Hospital"},
    {"Hospitali ya Wilaya ya %s", "%s District Hospital"},
    {"Kituo cha Afya %s", "%s Health Centre"},
    {"Mamlaka ya Maji Safi na Usafi wa Mazingira %s", "%s Water Supply and Sanitation Authority"},
    {"Shule ya Sekondari %s", "%s Secondary School"},
    {"Chuo cha Ufundi Stadi %s", "%s Vocational Training College"},
    {"Ofisi ya Ardhi %s", "%s Land Office"},
    {"Ofisi ya Mkuu wa Mkoa %s", "%s Regional Commissioner's Office"},
    {"Mahakama ya Wilaya %s", "%s District Court"},
    {"Wakala wa Barabara %s", "%s Roads Agency"},
    {"Ofisi ya Kilimo na Mifugo %s", "%s Agriculture and Livestock Office"},
    {"Ofisi ya Uhamiaji %s", "%s Immigration Office"},
  };

  /** Towns and districts. */
  private static final String[] PLACES = {
    "Arusha",
    "Meru",
    "Karatu",
    "Longido",
    "Monduli",
    "Ngorongoro",
    "Ilala",
    "Kinondoni",
    "Temeke",
    "Ubungo",
    "Kigamboni",
    "Dodoma",
    "Bahi",
    "Chamwino",
    "Chemba",
    "Kondoa",
    "Kongwa",
    "Mpwapwa",
    "Geita",
    "Bukombe",
    "Chato",
    "Mbogwe",
    "Nyang'hwale",
    "Iringa",
    "Kilolo",
    "Mufindi",
    "Mafinga",
    "Bukoba",
    "Biharamulo",
    "Karagwe",
    "Kyerwa",
    "Missenyi",
    "Muleba",
    "Ngara",
    "Mpanda",
    "Mlele",
    "Tanganyika",
    "Kigoma",
    "Buhigwe",
    "Kakonko",
    "Kasulu",
    "Kibondo",
    "Uvinza",
    "Moshi",
    "Hai",
    "Mwanga",
    "Rombo",
    "Same",
    "Siha",
    "Lindi",
    "Kilwa",
    "Liwale",
    "Nachingwea",
    "Ruangwa",
    "Babati",
    "Hanang",
    "Kiteto",
    "Mbulu",
    "Simanjiro",
    "Musoma",
    "Bunda",
    "Butiama",
    "Rorya",
    "Serengeti",
    "Tarime",
    "Mbeya",
    "Chunya",
    "Kyela",
    "Mbarali",
    "Rungwe",
    "Morogoro",
    "Gairo",
    "Kilombero",
    "Kilosa",
    "Malinyi",
    "Mvomero",
    "Ulanga",
    "Mtwara",
    "Masasi",
    "Nanyumbu",
    "Newala",
    "Tandahimba",
    "Mwanza",
    "Ilemela",
    "Kwimba",
    "Magu",
    "Misungwi",
    "Sengerema",
    "Ukerewe",
    "Njombe",
    "Ludewa",
    "Makete",
    "Wanging'ombe",
    "Kibaha",
    "Bagamoyo",
    "Kisarawe",
    "Mafia",
    "Mkuranga",
    "Rufiji",
    "Sumbawanga",
    "Kalambo",
    "Nkasi",
    "Songea",
    "Mbinga",
    "Namtumbo",
    "Nyasa",
    "Tunduru",
    "Shinyanga",
    "Kahama",
    "Kishapu",
    "Bariadi",
    "Busega",
    "Itilima",
    "Maswa",
    "Meatu",
    "Singida",
    "Ikungi",
    "Iramba",
    "Manyoni",
    "Mkalama",
    "Vwawa",
    "Ileje",
    "Mbozi",
    "Momba",
    "Tabora",
    "Igunga",
    "Kaliua",
    "Nzega",
    "Sikonge",
    "Urambo",
    "Tanga",
    "Handeni",
    "Kilindi",
    "Korogwe",
    "Lushoto",
    "Muheza",
    "Mkinga",
    "Pangani",
    "Wete",
    "Micheweni",
    "Chake Chake",
    "Mkoani",
    "Kaskazini A",
    "Kaskazini B",
    "Kati",
    "Kusini",
    "Mjini",
    "Magharibi"
  };

  /** An institution as loaded. */
  record Institution(String code, String name, String nameSw, String domain) {}

  /** A directory entry as loaded. */
  record Service(
      int institution,
      String nameSw,
      String nameEn,
      String descriptionSw,
      String descriptionEn,
      String category,
      String region) {}

  static List<Institution> institutions(int count) {
    List<Institution> out = new ArrayList<>(count);
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      String[] kind = KINDS[i % KINDS.length];
      String place = PLACES[(i / KINDS.length) % PLACES.length];
      String sw = kind[0].formatted(place);
      String en = kind[1].formatted(place);
      int n = seen.merge(en, 1, Integer::sum);
      if (n > 1) {
        sw = sw + " Na. " + n;
        en = en + " No. " + n;
      }
      String code = String.format("inst%05d", i);
      out.add(new Institution(code, en, sw, code + ".go.tz"));
    }
    return out;
  }

  static Service service(Random rnd, int institution) {
    String category = pick(rnd, DirectoryVocabulary.CATEGORIES);
    String region = pick(rnd, DirectoryVocabulary.REGIONS);
    List<Topic> topics = TOPICS.get(category);
    Topic topic = pick(rnd, topics);
    Topic also = pick(rnd, topics);
    String[] action = ACTIONS[rnd.nextInt(ACTIONS.length)];
    String nameSw = capitalise(action[0].formatted(topic.sw()));
    String nameEn = capitalise(action[1].formatted(topic.en()));
    boolean online = rnd.nextBoolean();
    String place = region.equals("national") ? "nchi nzima" : "mkoa wa " + placeName(region);
    String placeEn =
        region.equals("national") ? "across the country" : "in " + placeName(region) + " region";
    String descriptionSw =
        "Huduma hii inakuwezesha kupata "
            + topic.sw()
            + (online ? " mtandaoni" : " ofisini")
            + " "
            + place
            + ", pamoja na taarifa za "
            + also.sw()
            + ". Wasiliana na ofisi yetu kwa msaada zaidi.";
    String descriptionEn =
        "This service lets you get "
            + topic.en()
            + (online ? " online" : " at our office")
            + " "
            + placeEn
            + ", along with information on "
            + also.en()
            + ". Contact our office for further help.";
    return new Service(institution, nameSw, nameEn, descriptionSw, descriptionEn, category, region);
  }

  private static String placeName(String region) {
    StringBuilder b = new StringBuilder();
    for (String part : region.split("-")) {
      b.append(b.isEmpty() ? "" : " ").append(capitalise(part));
    }
    return b.toString();
  }

  private static final Set<String> SKIPPED = Set.of("cha", "and", "kwa", "the", "for");

  /** Single words a visitor types, from every topic in both languages (short words left out). */
  static final List<String> WORDS;

  /**
   * Two words that go together, per language, from one topic ("cheti kuzaliwa", "business
   * licence").
   */
  static final List<String> PAIRS;

  static {
    Set<String> words = new LinkedHashSet<>();
    Set<String> pairs = new LinkedHashSet<>();
    for (List<Topic> list : TOPICS.values()) {
      for (Topic t : list) {
        for (String phrase : new String[] {t.sw(), t.en()}) {
          List<String> own = new ArrayList<>();
          for (String w : phrase.split(" ")) {
            if (w.length() >= 3 && !w.contains("'") && !SKIPPED.contains(w)) {
              own.add(w);
            }
          }
          words.addAll(own);
          if (own.size() >= 2) {
            pairs.add(own.get(0) + " " + own.get(1));
          }
        }
      }
    }
    words.add("mtandaoni");
    words.add("online");
    WORDS = List.copyOf(words);
    PAIRS = List.copyOf(pairs);
  }

  /**
   * A visitor's question as a query string: 90 % with q (one word, or two that go together, or two
   * at random), typed as it comes (sometimes upper case or capitalised, accents sometimes left
   * out); 30 % with a category and/or a region; the language half and half.
   */
  static String question(Random rnd) {
    StringBuilder qs =
        new StringBuilder("/api/v1/public/directory?lang=").append(rnd.nextBoolean() ? "sw" : "en");
    if (rnd.nextInt(10) != 0) {
      int kind = rnd.nextInt(10);
      String q;
      if (kind < 6) {
        q = pick(rnd, WORDS);
      } else if (kind < 9) {
        q = pick(rnd, PAIRS);
      } else {
        q = pick(rnd, WORDS) + " " + pick(rnd, WORDS);
      }
      qs.append("&q=").append(encode(typed(rnd, q)));
    }
    if (rnd.nextInt(10) < 3) {
      int which = rnd.nextInt(3);
      if (which != 1) {
        qs.append("&category=").append(pick(rnd, DirectoryVocabulary.CATEGORIES));
      }
      if (which != 0) {
        qs.append("&region=").append(pick(rnd, DirectoryVocabulary.REGIONS));
      }
    }
    return qs.toString();
  }

  /**
   * The same kind of question, made unique: a question with q is spelt with a letter case not used
   * before (the server's answer cache is keyed by the text, the search ignores case), and after 20
   * tries gets one more word; one without q gets a category and a region, then a page size of 40 to
   * 60, and after 50 tries a word.
   */
  static String distinctQuestion(Random rnd, Set<String> asked) {
    String base = question(rnd);
    String url = base;
    for (int attempt = 0; asked.contains(url); attempt++) {
      if (!base.contains("&q=") && attempt >= 50) {
        base = base + "&q=" + encode(pick(rnd, WORDS));
      }
      int q = base.indexOf("&q=");
      if (q >= 0) {
        int end = base.indexOf('&', q + 3);
        String text =
            java.net.URLDecoder.decode(
                base.substring(q + 3, end < 0 ? base.length() : end), StandardCharsets.UTF_8);
        String spelt = randomCase(rnd, attempt < 20 ? text : text + " " + pick(rnd, WORDS));
        url = base.substring(0, q + 3) + encode(spelt) + (end < 0 ? "" : base.substring(end));
      } else {
        url =
            base
                + (base.contains("&category=")
                    ? ""
                    : "&category=" + pick(rnd, DirectoryVocabulary.CATEGORIES))
                + (base.contains("&region=")
                    ? ""
                    : "&region=" + pick(rnd, DirectoryVocabulary.REGIONS))
                + (attempt < 5 ? "" : "&limit=" + (40 + rnd.nextInt(21)));
      }
    }
    asked.add(url);
    return url;
  }

  private static String typed(Random rnd, String q) {
    int how = rnd.nextInt(20);
    if (how < 2) {
      q = q.toUpperCase(Locale.ROOT);
    } else if (how < 5) {
      q = capitalise(q);
    }
    if (rnd.nextBoolean()) {
      q = Normalizer.normalize(q, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
    }
    return q;
  }

  private static String randomCase(Random rnd, String q) {
    StringBuilder b = new StringBuilder(q.length());
    for (char ch : q.toCharArray()) {
      b.append(rnd.nextBoolean() ? Character.toUpperCase(ch) : Character.toLowerCase(ch));
    }
    return b.toString();
  }

  static String capitalise(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static <T> T pick(Random rnd, List<T> list) {
    return list.get(rnd.nextInt(list.size()));
  }

  private DirectoryBenchData() {}
}
