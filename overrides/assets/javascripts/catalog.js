/*
 * Catalog filters.  Without JavaScript the form stays hidden and every course
 * shows.  With it: combinable filters, a live count, and the filter state in
 * the URL (?category=ict&level=foundation) so a filtered view can be shared.
 */
(function () {
  "use strict";
  // The page was built on its build date; the reader's clock may be later.
  // Runs whose deadline has passed by it say so and lose their Apply button;
  // a card's "open" and "starting within" follow (data-runs:
  // start/deadline/applicable/needs/interpretation, from site_builder/offerings.py).
  var now = new Date();
  function iso(date) {
    return date.getFullYear() + "-" + ("0" + (date.getMonth() + 1)).slice(-2) + "-" +
      ("0" + date.getDate()).slice(-2);
  }
  function monthsAhead(months) {
    var d = new Date(now.getFullYear(), now.getMonth() + months, 1);
    var last = new Date(d.getFullYear(), d.getMonth() + 1, 0).getDate();
    d.setDate(Math.min(now.getDate(), last));
    return iso(d);
  }
  var today = iso(now);
  Array.prototype.forEach.call(document.querySelectorAll(".cc-offering--open, .cc-offering--waitlist"),
    function (item) {
      if (item.getAttribute("data-deadline") >= today) return;
      var state = item.querySelector(".cc-offering__state");
      if (state) state.textContent = state.getAttribute("data-passed");
      Array.prototype.forEach.call(item.querySelectorAll(".cc-apply"), function (a) { a.remove(); });
      item.className = item.className.replace(/cc-offering--\w+/, "cc-offering--deadline_passed");
    });
  // The next intake shown is the first whose deadline has not passed (learner.js
  // may then show the first the reader's languages fit).
  var shown = false;
  Array.prototype.forEach.call(document.querySelectorAll(".cc-next[data-deadline]"), function (next) {
    var live = !shown && next.getAttribute("data-deadline") >= today;
    next.hidden = !live;
    shown = shown || live;
  });
  // The "starting within" choices (months) are the catalog filter's options.
  var within = Array.prototype.map.call(document.querySelectorAll("#filter-within option"),
    function (option) { return Number(option.value); }).filter(Boolean);
  Array.prototype.forEach.call(document.querySelectorAll(".cc-card[data-runs]"), function (card) {
    var runs = (card.getAttribute("data-runs") || "").split(" ").filter(Boolean).map(function (run) {
      var p = run.split("/");
      return { start: p[0], deadline: p[1], applicable: p[2] === "1" };
    });
    var open = runs.some(function (r) { return r.applicable && r.deadline >= today; });
    card.setAttribute("data-open", open ? "yes" : "no");
    card.setAttribute("data-within", within.filter(function (m) {
      var limit = monthsAhead(m);
      return runs.some(function (r) { return r.start >= today && r.start <= limit; });
    }).join(" "));
    // Each "Open" flag is one run's: its deadline by the reader's clock.
    Array.prototype.forEach.call(card.querySelectorAll(".cc-card__open[data-deadline]"), function (flag) {
      if (flag.getAttribute("data-deadline") < today) flag.hidden = true;
    });
  });

  var form = document.querySelector("form.cc-filters");
  if (!form) return;
  var list = document.querySelector(".cc-cards");
  var cards = Array.prototype.slice.call(document.querySelectorAll(".cc-card"));
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-attribute]"));
  var place = form.querySelector("#filter-countries");
  var online = form.querySelector("#filter-online");
  var sort = form.querySelector("#cc-sort");
  var join = document.getElementById("filter-join");  // "only runs I can join" (learner.js)
  var count = form.querySelector(".cc-filters__count");
  var toggle = form.querySelector(".cc-filters__toggle");
  var fields = form.querySelector(".cc-filters__fields");

  // The places a learner asks for: a country, "or online", or both.
  function places() {
    var wanted = [];
    if (place && place.value) wanted.push(place.value);
    if (online && online.checked) wanted.push("online");
    return wanted;
  }

  function matches(card, wanted) {
    if (join && join.checked && card.getAttribute("data-join") !== "yes") return false;
    return selects.every(function (select) {
      if (select === place) {
        if (!wanted.length) return true;
        var there = (card.getAttribute("data-countries") || "").split(" ");
        return wanted.some(function (w) { return there.indexOf(w) !== -1; });
      }
      if (!select.value) return true;
      var values = (card.getAttribute("data-" + select.dataset.attribute) || "").split(" ");
      return values.indexOf(select.value) !== -1;
    });
  }

  // Under a "where" filter a card shows its next run there, not elsewhere.
  function showNext(card, wanted) {
    var lines = Array.prototype.slice.call(card.querySelectorAll(".cc-card__next"));
    var best = null;
    lines.forEach(function (line) {
      var where = line.getAttribute("data-place");
      if (where && wanted.indexOf(where) !== -1 &&
          (!best || line.getAttribute("data-start") < best.getAttribute("data-start"))) best = line;
    });
    lines.forEach(function (line) {
      line.hidden = best ? line !== best : line.hasAttribute("data-place");
    });
  }

  function order() {
    var byTitle = sort && sort.value === "title";
    var lang = document.documentElement.lang || undefined;
    cards.slice().sort(function (a, b) {
      var ta = a.getAttribute("data-title"), tb = b.getAttribute("data-title");
      if (!byTitle) {
        var sa = a.getAttribute("data-start") || "9999", sb = b.getAttribute("data-start") || "9999";
        if (sa !== sb) return sa < sb ? -1 : 1;
      }
      return ta.localeCompare(tb, lang);
    }).forEach(function (card) { list.appendChild(card); });
  }

  function active() {
    return selects.filter(function (select) { return select.value; }).length + (online && online.checked ? 1 : 0) +
      (join && join.checked ? 1 : 0);
  }

  function apply(record) {
    var shown = 0, wanted = places();
    cards.forEach(function (card) {
      var visible = matches(card, wanted);
      card.hidden = !visible;
      if (visible) shown++;
      showNext(card, wanted);
    });
    order();
    count.textContent = shown
      ? count.dataset.template.replace("{shown}", shown).replace("{total}", cards.length)
      : count.dataset.none;
    if (toggle) toggle.textContent = toggle.dataset.template.replace("{n}", active());
    if (record) {
      var params = new URLSearchParams();
      selects.forEach(function (select) {
        if (select.value) params.set(select.name, select.value);
      });
      if (online && online.checked) params.set("online", "yes");
      if (join && join.checked) params.set("join", "yes");
      if (sort && sort.value) params.set("sort", sort.value);
      var query = params.toString();
      var address = location.pathname + (query ? "?" + query : "") + location.hash;
      // Every change is a history entry: Back and Forward replay them.
      if (address !== location.pathname + location.search + location.hash) {
        try { history.pushState(null, "", address); } catch (error) { /* file:// in some browsers */ }
      }
    }
    document.dispatchEvent(new Event("cc-address"));
  }

  // The controls as the address says.
  function read() {
    var params = new URLSearchParams(location.search);
    selects.concat(sort ? [sort] : []).forEach(function (select) {
      var wanted = params.get(select.name) || "";
      select.value = wanted && select.querySelector('option[value="' + CSS.escape(wanted) + '"]') ? wanted : "";
    });
    if (online) online.checked = params.get("online") === "yes";
    if (join) join.checked = params.get("join") === "yes" && !join.disabled;
  }

  read();
  selects.concat(sort ? [sort] : []).forEach(function (select) {
    select.addEventListener("change", function () { apply(true); });
  });
  if (online) online.addEventListener("change", function () { apply(true); });
  if (join) join.addEventListener("change", function () { apply(true); });
  // The reader set or changed their languages: the cards' data-join changed.
  document.addEventListener("cc-profile", function () {
    if (join && !join.disabled && new URLSearchParams(location.search).get("join") === "yes") join.checked = true;
    apply(false);
  });
  window.addEventListener("popstate", function () { read(); apply(false); });
  form.addEventListener("reset", function () {
    setTimeout(function () { apply(true); }, 0);
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  // On a phone the filters fold into one "Filters (n)" button (catalog.css).
  if (toggle) {
    toggle.addEventListener("click", function () {
      var open = !form.classList.contains("cc-filters--open");
      form.classList.toggle("cc-filters--open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) { var first = fields.querySelector("select"); if (first) first.focus(); }
    });
  }
  form.hidden = false;
  apply(false);
  // The page's first drawing hid the cards a filtered address leaves out
  // (overrides/main.html); from here on the filters decide.
  var prefilter = document.getElementById("cc-prefilter");
  if (prefilter) prefilter.parentNode.removeChild(prefilter);
})();

/*
 * Printing a course page: the one-page course sheet (what Ctrl+P prints), or
 * the full details (also at ?print=full, for a link).  catalog.css, @media print.
 */
(function () {
  "use strict";
  var box = document.querySelector(".cc-print");
  if (!box) return;
  var root = document.documentElement;
  box.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (!button) return;
    var before = root.classList.contains("cc-print-full");
    root.classList.toggle("cc-print-full", button.getAttribute("data-print") === "full");
    window.print();
    root.classList.toggle("cc-print-full", before);
  });
  // The full details print every run's "how to apply", folded or not on screen.
  // (Each one opened for printing is marked, so that it folds again after.)
  window.addEventListener("beforeprint", function () {
    if (!root.classList.contains("cc-print-full")) return;
    Array.prototype.forEach.call(document.querySelectorAll("details.cc-howto:not([open])"), function (d) {
      d.setAttribute("data-print-opened", "");
      d.open = true;
    });
  });
  window.addEventListener("afterprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details[data-print-opened]"), function (d) {
      d.removeAttribute("data-print-opened");
      d.open = false;
    });
  });
  box.hidden = false;
})();

/*
 * The language switch leads to the same view in the other language: the
 * catalog's filters (the query) and the place on the page (the anchor) go
 * along.  Runs on every page.
 */
(function () {
  "use strict";
  var links = Array.prototype.slice.call(document.querySelectorAll(".md-select__link[hreflang]"));
  links.forEach(function (link) { link.setAttribute("data-base", link.getAttribute("href").split(/[?#]/)[0]); });
  function follow() {
    links.forEach(function (link) {
      link.setAttribute("href", link.getAttribute("data-base") + location.search + location.hash);
    });
  }
  follow();
  window.addEventListener("hashchange", follow);
  window.addEventListener("popstate", follow);
  document.addEventListener("cc-address", follow);
})();

/*
 * Bilingual reading mode (course pages): a button shows the other language's
 * text under each heading, outcome, module, topic and assessment method, with
 * pinyin under Chinese.  The texts are loaded only when asked for (one small
 * JSON file per course and language, site_builder/generators.py reading_texts);
 * the choice is remembered across pages (localStorage) and printing follows
 * what is shown.  Without JavaScript the button stays hidden.
 */
(function () {
  "use strict";
  var toggle = document.querySelector(".cc-reading__toggle");
  if (!toggle) return;
  var KEY = "cc-reading";
  var shown = false, loaded = null;
  var showLabel = toggle.textContent;
  var failed = document.querySelector(".cc-reading__error");
  var hideLabel = toggle.getAttribute("data-hide") || showLabel;

  function remember(on) {
    try { localStorage.setItem(KEY, on ? "on" : "off"); } catch (error) { /* private mode, file:// */ }
  }

  function wanted() {
    try { return localStorage.getItem(KEY) === "on"; } catch (error) { return false; }
  }

  // The texts are a script (reading/<course>.js calls ccReading with its data):
  // a page opened from a folder (file://) may load scripts, where JSON is refused.
  function load() {
    if (!loaded) {
      loaded = new Promise(function (resolve, reject) {
        window.ccReading = resolve;
        var script = document.createElement("script");
        script.src = toggle.getAttribute("data-src");
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return loaded;
  }

  function pair(element, text, pinyin, lang) {
    var heading = /^H[1-6]$/.test(element.tagName);
    var box = document.createElement(heading ? "p" : "span");
    box.className = "cc-pair" + (heading ? " cc-pair--heading" : "");
    box.lang = lang;
    box.textContent = text;
    if (pinyin) {
      var reading = document.createElement("span");
      reading.className = "cc-pair__pinyin";
      reading.lang = lang + "-Latn";
      reading.textContent = pinyin;
      box.appendChild(reading);
    }
    if (heading) element.parentNode.insertBefore(box, element.nextSibling);
    else element.appendChild(box);
  }

  function show(on) {
    shown = on;
    toggle.setAttribute("aria-pressed", on ? "true" : "false");
    toggle.textContent = on ? hideLabel : showLabel;
    Array.prototype.forEach.call(document.querySelectorAll(".cc-pair"), function (box) {
      box.parentNode.removeChild(box);
    });
    if (!on) return Promise.resolve();
    return load().then(function (data) {
      if (!shown) return;
      Array.prototype.forEach.call(document.querySelectorAll("[data-pair]"), function (element) {
        var key = element.getAttribute("data-pair");
        if (data.texts[key]) pair(element, data.texts[key], data.pinyin && data.pinyin[key], data.lang);
      });
      document.documentElement.classList.add("cc-reading-on");
    }, function () {
      loaded = null;  // the next press tries again
      shown = false;
      toggle.setAttribute("aria-pressed", "false");
      toggle.textContent = showLabel;
      if (failed) failed.textContent = failed.getAttribute("data-text");
    });
  }

  toggle.addEventListener("click", function () {
    if (failed) failed.textContent = "";
    remember(!shown);
    if (shown) document.documentElement.classList.remove("cc-reading-on");
    show(!shown);
  });
  toggle.parentNode.hidden = false;
  if (wanted()) show(true);
})();
