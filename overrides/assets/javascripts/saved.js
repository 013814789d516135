/*
 * Saved courses: a "Save" toggle on each card and course page keeps a list on
 * this device (localStorage); the saved page (saved.html.j2) lists it, sets
 * two to four of them side by side, and shares the list as a link
 * (saved/?courses=a,b) that opens the same list elsewhere (saved-page.js,
 * loaded by that page only).  This file: the toggles and the list's store.
 */
(function () {
  "use strict";
  var KEY = "cc-saved", SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
  var each = function (selector, fn) { Array.prototype.forEach.call(document.querySelectorAll(selector), fn); };
  function valid(ids) { return ids.filter(function (id, i) { return SLUG.test(id) && ids.indexOf(id) === i; }); }
  function load() {
    try {
      var list = JSON.parse(localStorage.getItem(KEY));
      return Array.isArray(list) ? valid(list.filter(function (id) { return typeof id === "string"; })) : [];
    } catch (error) { return []; }
  }
  function store(list) {
    try { localStorage.setItem(KEY, JSON.stringify(list)); } catch (error) { /* private mode */ }
    paint();
  }
  function paint() {
    var list = load();
    each(".cc-save[data-course]", function (button) {
      var on = list.indexOf(button.getAttribute("data-course")) !== -1;
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = button.getAttribute(on ? "data-on" : "data-off");
      button.hidden = false;
    });
    each(".cc-saved-link", function (link) {
      link.hidden = !list.length;
      link.textContent = link.getAttribute("data-label").replace("{n}", list.length);
    });
    document.dispatchEvent(new Event("cc-saved"));
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".cc-save[data-course]");
    if (!button) return;
    var list = load(), id = button.getAttribute("data-course"), at = list.indexOf(id);
    if (at === -1) list.push(id); else list.splice(at, 1);
    store(list);
  });
  window.addEventListener("storage", function (event) { if (event.key === KEY) paint(); });

  window.ccSaved = { load: load, store: store, valid: valid, slug: SLUG };
  paint();
})();
