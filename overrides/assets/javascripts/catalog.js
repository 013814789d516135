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
  // start/deadline/applicable, from site_builder/offerings.py).
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
  var next = document.querySelector(".cc-next[data-deadline]");
  if (next && next.getAttribute("data-deadline") < today) next.hidden = true;
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
    var flag = card.querySelector(".cc-card__open");
    if (flag && !open) flag.hidden = true;
  });

  var form = document.querySelector("form.cc-filters");
  if (!form) return;
  var cards = Array.prototype.slice.call(document.querySelectorAll(".cc-card"));
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-attribute]"));
  var count = form.querySelector(".cc-filters__count");

  function matches(card) {
    return selects.every(function (select) {
      if (!select.value) return true;
      var values = (card.getAttribute("data-" + select.dataset.attribute) || "").split(" ");
      return values.indexOf(select.value) !== -1;
    });
  }

  function apply(updateUrl) {
    var shown = 0;
    cards.forEach(function (card) {
      var visible = matches(card);
      card.hidden = !visible;
      if (visible) shown++;
    });
    count.textContent = shown
      ? count.dataset.template.replace("{shown}", shown).replace("{total}", cards.length)
      : count.dataset.none;
    if (updateUrl) {
      var params = new URLSearchParams();
      selects.forEach(function (select) {
        if (select.value) params.set(select.name, select.value);
      });
      var query = params.toString();
      try {
        history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
      } catch (error) {
        /* some browsers refuse this for pages opened from a folder (file://) */
      }
    }
  }

  var params = new URLSearchParams(location.search);
  selects.forEach(function (select) {
    var wanted = params.get(select.name);
    if (wanted && select.querySelector('option[value="' + CSS.escape(wanted) + '"]')) {
      select.value = wanted;
    }
    select.addEventListener("change", function () { apply(true); });
  });
  form.addEventListener("reset", function () {
    setTimeout(function () { apply(true); }, 0);
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;
  apply(false);
  // The page's first drawing hid the cards a filtered address leaves out
  // (overrides/main.html); from here on the filters decide.
  var prefilter = document.getElementById("cc-prefilter");
  if (prefilter) prefilter.parentNode.removeChild(prefilter);
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
  var hideLabel = toggle.getAttribute("data-hide") || showLabel;

  function remember(on) {
    try { localStorage.setItem(KEY, on ? "on" : "off"); } catch (error) { /* private mode, file:// */ }
  }

  function wanted() {
    try { return localStorage.getItem(KEY) === "on"; } catch (error) { return false; }
  }

  function load() {
    if (!loaded) {
      loaded = fetch(toggle.getAttribute("data-src")).then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
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
      shown = false;
      toggle.setAttribute("aria-pressed", "false");
      toggle.textContent = showLabel;
    });
  }

  toggle.addEventListener("click", function () {
    remember(!shown);
    if (shown) document.documentElement.classList.remove("cc-reading-on");
    show(!shown);
  });
  toggle.parentNode.hidden = false;
  if (wanted()) show(true);
})();
