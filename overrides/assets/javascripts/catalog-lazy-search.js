/*
 * Loaded before Material's bundle (overrides/main.html, block libs).
 *
 * 1. Material fetches sitemap.xml from every hreflang URL (absolute: the
 *    published host) to keep its own language switch on the same page.  Our
 *    switcher links each page's counterpart directly, so those requests are
 *    answered here, with no network use.
 * 2. Material downloads the search index as soon as a page opens.  Learners on
 *    slow or costly links should pay for it only when they search: the request
 *    is held until the search box gets focus (click, tap, Tab, or Material's
 *    keyboard shortcuts), or the page was opened with a search (?q=).
 * 3. Material's search dialog has no accessible name: it gets its search
 *    field's label (already in the page's language).
 */
(function () {
  "use strict";
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  var wanted = /[?&]q=/.test(location.search);
  var held = [];

  function release() {
    if (wanted) return;
    wanted = true;
    held.splice(0).forEach(function (go) { go(); });
  }

  XMLHttpRequest.prototype.open = function (method, url) {
    var target = String(url);
    if (/(^|\/)sitemap\.xml$/.test(target)) {
      arguments[1] = "data:text/xml,%3Curlset%2F%3E";
    }
    this.catalogHold = /(^|\/)search\/search_index\.json$/.test(target);
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    if (this.catalogHold && !wanted) {
      var request = this, args = arguments;
      held.push(function () { send.apply(request, args); });
      return;
    }
    return send.apply(this, arguments);
  };

  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (target && target.matches && target.matches("[data-md-component=search-query]")) release();
  });
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "__search" && event.target.checked) release();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "/" || event.key === "s" || event.key === "f") release();
  }, true);

  document.addEventListener("DOMContentLoaded", function () {
    var dialog = document.querySelector('.md-search[role="dialog"]');
    var input = dialog && dialog.querySelector(".md-search__input");
    if (input && !dialog.hasAttribute("aria-label")) {
      dialog.setAttribute("aria-label", input.getAttribute("aria-label") || "");
    }
  });
})();
