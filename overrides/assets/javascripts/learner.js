/*
 * The learner's own languages, kept on this device (localStorage, nothing
 * sent): each run open for applications is marked "You can join" or "Needs
 * HSK 4", a course page shows first the next intake the learner can join, and
 * the catalog marks each card and can show only the courses with a run they
 * can join (catalog.js filters on the cards' data-join).  Without JavaScript,
 * or before a level is set, nothing changes.
 *
 * The scales are the panel's selects (courses/_shared/languages.yml); a run's
 * needs come as data-need="zh.2,en.3", each level's place in its scale
 * (site_builder/offerings.py, needs).  A run with interpretation is open to a
 * learner who meets one of its languages, any other run to one who meets all.
 *
 * The learner may also pick a currency: every amount (.cc-money, with
 * data-amount and data-currency) then shows about what it is in theirs, at the
 * dated rates of courses/_shared/rates.yml (the options' data-per-usd), shown
 * with their date.  Nothing is fetched.
 */
(function () {
  "use strict";
  var KEY = "cc-languages", CURRENCY = "cc-currency";
  var panel = document.querySelector("form.cc-profile");
  if (!panel) return;
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };
  var selects = Array.prototype.slice.call(panel.querySelectorAll("select[data-language]"));
  var join = document.getElementById("filter-join");
  var currency = panel.querySelector("select[data-currency-select]");
  var rates = {};
  if (currency) each(currency.options, function (o) { if (o.value) rates[o.value] = Number(o.getAttribute("data-per-usd")); });
  var now = new Date();
  var today = now.getFullYear() + "-" + ("0" + (now.getMonth() + 1)).slice(-2) + "-" + ("0" + now.getDate()).slice(-2);

  function load(key) {
    try { return JSON.parse(localStorage.getItem(key || KEY)); } catch (error) { return null; }
  }
  function store(value, key) {
    try {
      if (value) localStorage.setItem(key || KEY, JSON.stringify(value)); else localStorage.removeItem(key || KEY);
    } catch (error) { /* private mode: the choice lasts as long as the page */ }
  }
  // Each amount, and about what it is in the learner's currency.
  function convert() {
    var to = currency && load(CURRENCY);
    if (to && !rates[to]) to = null;
    if (currency) currency.value = to || "";
    var note = panel.querySelector(".cc-profile__rates");
    if (note) note.hidden = !to;
    each(document.querySelectorAll(".cc-money__approx"), function (old) { old.remove(); });
    if (!to) return;
    var format;
    try {
      format = new Intl.NumberFormat(panel.dataset.locale, { style: "currency", currency: to, maximumFractionDigits: 0 });
    } catch (error) { return; }
    each(document.querySelectorAll(".cc-money[data-amount]"), function (money) {
      var from = money.getAttribute("data-currency");
      if (from === to || !rates[from]) return;
      var approx = document.createElement("span");
      approx.className = "cc-money__approx";
      approx.textContent = panel.dataset.approx.replace("{amount}",
        format.format(Number(money.getAttribute("data-amount")) / rates[from] * rates[to]));
      money.parentNode.insertBefore(approx, money.nextSibling);
    });
  }
  function scale(lang) {
    var select = panel.querySelector('select[name="' + lang + '"]');
    return select ? Array.prototype.slice.call(select.options, 1).map(function (o) { return o.value; }) : [];
  }
  // The learner's level in each language as a place in its scale (-1: none).
  function ranks(levels) {
    var out = {};
    selects.forEach(function (select) { out[select.name] = scale(select.name).indexOf(levels[select.name] || ""); });
    return out;
  }
  // {ok, text}: whether the learner meets a run's levels, and what to say.
  function fit(need, interpretation, rank) {
    var needs = (need || "").split(",").filter(Boolean).map(function (item) {
      var part = item.split(".");
      return { lang: part[0], rank: Number(part[1]) };
    });
    var missing = needs.filter(function (n) { return !(rank[n.lang] >= n.rank); });
    var ok = interpretation && needs.length ? missing.length < needs.length : !missing.length;
    var levels = missing.map(function (n) { return scale(n.lang)[n.rank]; })
      .join(interpretation ? panel.dataset.or : panel.dataset.and);
    return { ok: ok, text: ok ? panel.dataset.yes : panel.dataset.needs.replace("{levels}", levels) };
  }
  function fitOf(element, rank) {
    return fit(element.getAttribute("data-need"), element.getAttribute("data-interpretation") === "1", rank);
  }
  function mark(element, found) {
    if (!element) return;
    element.hidden = !found;
    element.classList.remove("cc-fit--yes", "cc-fit--no");
    if (found) {
      element.textContent = found.text;
      element.classList.add(found.ok ? "cc-fit--yes" : "cc-fit--no");
    }
  }
  function day(iso) {
    var p = iso.split("-");
    var date = new Date(Number(p[0]), Number(p[1]) - 1, Number(p[2]));
    try {
      return new Intl.DateTimeFormat(panel.dataset.locale, { day: "numeric", month: "short", year: "numeric" })
        .format(date);
    } catch (error) { return iso; }
  }

  function update() {
    var levels = load();
    var rank = levels ? ranks(levels) : null;
    selects.forEach(function (select) { select.value = (levels && levels[select.name]) || ""; });
    // A course page: each run still open, and the next intake shown first.
    each(document.querySelectorAll(".cc-offering[data-need]"), function (run) {
      var open = run.classList.contains("cc-offering--open") || run.classList.contains("cc-offering--waitlist");
      mark(run.querySelector(".cc-fit"), rank && open ? fitOf(run, rank) : null);
    });
    var intakes = Array.prototype.slice.call(document.querySelectorAll(".cc-next[data-run]"));
    var live = intakes.filter(function (next) { return next.getAttribute("data-deadline") >= today; });
    var chosen = (rank && live.filter(function (next) { return fitOf(next, rank).ok; })[0]) || live[0];
    intakes.forEach(function (next) {
      next.hidden = next !== chosen;
      mark(next.querySelector(".cc-fit"), rank && next === chosen ? fitOf(next, rank) : null);
    });
    // A next intake other than the first takes its "how to apply" from its run below.
    var slot = chosen && chosen.querySelector(".cc-howto[data-from]:empty");
    var source = slot && document.querySelector("#offering-" + CSS.escape(slot.getAttribute("data-from")) +
      " details.cc-howto");
    if (source) {
      Array.prototype.forEach.call(source.children, function (child) {
        var copy = child.cloneNode(true);
        if (child.tagName === "SUMMARY") {
          copy = document.createElement("p");
          copy.className = "cc-howto__title";
          copy.appendChild(document.createElement("strong")).textContent = child.textContent;
        }
        slot.appendChild(copy);
      });
    }
    // The catalog's cards: the first run the learner can join, else what the first open one needs.
    each(document.querySelectorAll(".cc-card[data-runs]"), function (card) {
      var open = card.getAttribute("data-runs").split(" ").filter(Boolean).map(function (token) {
        return token.split("/");
      }).filter(function (p) { return p[2] === "1" && p[1] >= today; });
      var fits = rank ? open.map(function (p) { return { start: p[0], fit: fit(p[3], p[4] === "1", rank) }; }) : [];
      var yes = fits.filter(function (f) { return f.fit.ok; })[0];
      card.setAttribute("data-join", yes ? "yes" : "no");
      mark(card.querySelector(".cc-card__fit"), !fits.length ? null
        : yes ? { ok: true, text: panel.dataset.cardYes.replace("{date}", day(yes.start)) } : fits[0].fit);
    });
    if (join) {
      join.disabled = !rank;
      if (!rank) join.checked = false;
    }
    document.dispatchEvent(new Event("cc-profile"));
  }

  panel.addEventListener("change", function (event) {
    if (event.target === currency) {
      store(currency.value, CURRENCY);
      convert();
      return;
    }
    if (!event.target.matches("select[data-language]")) return;
    var levels = {};
    selects.forEach(function (select) { levels[select.name] = select.value; });
    store(levels);
    update();
  });
  panel.addEventListener("reset", function () {
    store(null);
    store(null, CURRENCY);
    setTimeout(function () { update(); convert(); }, 0);
  });
  panel.addEventListener("submit", function (event) { event.preventDefault(); });
  // Another tab changed the levels: follow.
  window.addEventListener("storage", function (event) {
    if (event.key === KEY) update();
    if (event.key === CURRENCY) convert();
  });
  // The saved page asks whether the learner can join a run (null: no levels set).
  window.ccFit = function (need, interpretation) {
    var levels = load();
    return levels ? fit(need, interpretation, ranks(levels)) : null;
  };
  panel.hidden = false;
  update();
  convert();
})();

