/* Wingu site script: remembers the visitor's language and runs the site search over the
   prebuilt index. Pages work without it; it only adds these two conveniences. */
(function () {
  "use strict";
  var KEY = "wingu.lang";

  function remember(lang) {
    try { window.localStorage.setItem(KEY, lang); } catch (e) { /* storage may be disabled */ }
  }

  function remembered() {
    try { return window.localStorage.getItem(KEY); } catch (e) { return null; }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-lang]") : null;
    if (link) {
      remember(link.getAttribute("data-lang"));
    }
  });

  // the root page offers both languages; a returning visitor goes straight to the one chosen before
  if (document.body.hasAttribute("data-choose-language")) {
    var lang = remembered();
    if (lang === "sw" || lang === "en") {
      window.location.replace(lang + "/index.html");
    }
  }

  var results = document.getElementById("search-results");
  if (!results) {
    return;
  }
  var query = (new URLSearchParams(window.location.search).get("q") || "").trim();
  var input = document.querySelector(".search-form input[name=q]");
  if (input) {
    input.value = query;
  }
  if (!query) {
    return;
  }

  function normalise(text) {
    return text.toLocaleLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function message(template, count) {
    return template.replace("{q}", query).replace("{n}", String(count));
  }

  function show(entries) {
    var words = normalise(query).split(/\s+/).filter(Boolean);
    var found = entries.filter(function (entry) {
      var text = normalise(entry.t + " " + entry.x);
      return words.every(function (word) { return text.indexOf(word) !== -1; });
    });
    results.textContent = "";
    var heading = document.createElement("h2");
    var key = found.length === 0 ? "data-no-results" : found.length === 1 ? "data-result-one" : "data-results";
    heading.textContent = message(results.getAttribute(key), found.length);
    results.appendChild(heading);
    if (!found.length) {
      return;
    }
    var list = document.createElement("ol");
    found.forEach(function (entry) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = entry.u;
      link.textContent = entry.t;
      item.appendChild(link);
      if (entry.x) {
        var text = document.createElement("p");
        text.textContent = entry.x.length > 200 ? entry.x.slice(0, 200) + "…" : entry.x;
        item.appendChild(text);
      }
      list.appendChild(item);
    });
    results.appendChild(list);
  }

  fetch(results.getAttribute("data-index"), { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    })
    .then(show)
    .catch(function () {
      results.textContent = results.getAttribute("data-unavailable");
    });
})();
