/*
 * The saved page (saved.html.j2): the learner's saved courses listed, two to
 * four of them side by side, and the list shared as a link (saved/?courses=a,b)
 * that opens it elsewhere.  A course's facts come from its small script
 * (compare/<id>.js, site_builder/compare.py), loaded only here, so the list
 * works from the offline copy too.  Loaded by this page only; the list itself
 * is kept by saved.js (window.ccSaved).
 */
(function () {
  "use strict";
  var box = document.querySelector(".cc-saved");
  if (box && window.ccSaved) {
    var load = window.ccSaved.load, store = window.ccSaved.store, valid = window.ccSaved.valid;
    var SLUG = window.ccSaved.slug;
    var each = function (selector, fn) { Array.prototype.forEach.call(document.querySelectorAll(selector), fn); };
    var data = {}, asked = {}, chosen = null;
    var shared = valid((new URLSearchParams(location.search).get("courses") || "").split(","));
    var list = box.querySelector(".cc-saved__list");
    var table = box.querySelector(".cc-compare");
    var status = box.querySelector(".cc-saved__status");
    var ids = function () { return shared.length ? shared : load(); };
    window.ccCompare = function (course) { if (SLUG.test(course.id)) { data[course.id] = course; page(); } };
    var ask = function (id) {
      if (asked[id]) return;
      asked[id] = true;
      var script = document.createElement("script");
      script.src = box.getAttribute("data-compare") + id + ".js";
      script.onerror = function () { data[id] = null; page(); };
      document.head.appendChild(script);
    };
    var text = function (tag, content, cls) {
      var el = document.createElement(tag);
      if (content !== undefined) el.textContent = content;
      if (cls) el.className = cls;
      return el;
    };
    // The run a learner would take: the first still open that they can join (any, without levels).
    var nextRun = function (course) {
      var now = new Date();
      var today = now.getFullYear() + "-" + ("0" + (now.getMonth() + 1)).slice(-2) + "-" + ("0" + now.getDate()).slice(-2);
      var open = course.runs.filter(function (r) { return r.d >= today; });
      var fits = open.filter(function (r) { var f = window.ccFit && window.ccFit(r.need, r.i === 1); return !f || f.ok; });
      return { run: fits[0] || null, any: !(window.ccFit && window.ccFit("", false)), open: open.length };
    };
    var page = function () {
      var wanted = ids();
      wanted.forEach(ask);
      if (chosen === null) chosen = wanted.slice(0, 4);
      chosen = chosen.filter(function (id) { return wanted.indexOf(id) !== -1; });
      box.querySelector(".cc-saved__shared").hidden = !shared.length;
      box.querySelector(".cc-saved__empty").hidden = wanted.length > 0;
      box.querySelector("[data-action=share]").hidden = !wanted.length;
      list.textContent = "";
      wanted.forEach(function (id) {
        var course = data[id];
        if (course === null) return;  // no such course (any more)
        var item = document.createElement("li");
        var link = text("a", course ? course.code + " " + course.title : id);
        link.href = box.getAttribute("data-root") + (course ? course.url : "");
        item.appendChild(link);
        var label = text("label", " ", "cc-saved__pick");
        var tick = document.createElement("input");
        tick.type = "checkbox";
        tick.checked = chosen.indexOf(id) !== -1;
        tick.addEventListener("change", function () {
          if (tick.checked && chosen.length >= 4) {
            tick.checked = false;
            status.textContent = box.getAttribute("data-too-many");
            return;
          }
          chosen = tick.checked ? chosen.concat([id]) : chosen.filter(function (c) { return c !== id; });
          page();
        });
        label.appendChild(tick);
        label.appendChild(document.createTextNode(" " + box.getAttribute("data-compare-label")));
        item.appendChild(label);
        if (!shared.length) {
          var remove = text("button", box.getAttribute("data-remove"), "md-button cc-saved__remove");
          remove.type = "button";
          remove.addEventListener("click", function () { store(load().filter(function (c) { return c !== id; })); });
          item.appendChild(remove);
        }
        list.appendChild(item);
      });
      // Side by side: the chosen courses whose facts have come.
      var shown = chosen.map(function (id) { return data[id]; }).filter(Boolean);
      table.hidden = shown.length < 2;
      each(".cc-compare tr", function (row) {
        while (row.cells.length > 1) row.deleteCell(1);
      });
      shown.forEach(function (course) {
        var head = document.createElement("th");
        head.scope = "col";
        var a = text("a", course.code + " " + course.title);
        a.href = box.getAttribute("data-root") + course.url;
        head.appendChild(a);
        table.querySelector("thead tr").appendChild(head);
        var next = nextRun(course), run = next.run;
        var cells = {
          level: course.level, hours: String(course.hours), languages: course.languages,
          next: run ? run.dates + " · " + run.place + box.getAttribute(next.any ? "data-next-any" : "data-next")
            : box.getAttribute(next.open ? "data-none-fit" : "data-none"),
          fee: run ? run.fee : "", deadline: run ? run.deadline : ""
        };
        Object.keys(cells).forEach(function (key) {
          table.querySelector("tr[data-row=" + key + "]").appendChild(text("td", cells[key]));
        });
        var outcomes = document.createElement("td"), ul = document.createElement("ul");
        course.outcomes.forEach(function (o) { ul.appendChild(text("li", o)); });
        outcomes.appendChild(ul);
        table.querySelector("tr[data-row=outcomes]").appendChild(outcomes);
      });
    };
    box.addEventListener("click", function (event) {
      var action = event.target.getAttribute && event.target.getAttribute("data-action");
      if (action === "keep") {
        store(valid(load().concat(shared)));
        status.textContent = box.getAttribute("data-kept");
      } else if (action === "share") {
        var address = location.href.split(/[?#]/)[0] + "?courses=" + ids().join(",");
        var field = box.querySelector(".cc-saved__link");
        field.hidden = false;
        field.querySelector("input").value = address;
        field.querySelector("input").select();
        if (navigator.clipboard) {
          navigator.clipboard.writeText(address).then(function () {
            status.textContent = box.getAttribute("data-copied");
          }, function () { /* the link is shown, selected */ });
        }
      }
    });
    document.addEventListener("cc-saved", page);
    box.hidden = false;
    page();
  }
})();
