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
 * 4. "Did you mean": when a query finds nothing, the catalog's search worker
 *    (workers/catalog-search.js) sends the closest words of the index; they
 *    are shown under Material's "no results" line as links that search again.
 *    The words come with the worker's messages, so the worker is watched as
 *    Material creates it.  The label is the page's (data-did-you-mean on <html>).
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

  function showSuggestions(data) {
    var input = document.querySelector("[data-md-component=search-query]");
    var meta = document.querySelector(".md-search-result__meta");
    if (!input || !meta || input.value !== data.query) return;
    var old = document.querySelector(".cc-did-you-mean");
    if (old) old.parentNode.removeChild(old);
    if (!data.words.length) return;
    var line = document.createElement("p");
    line.className = "cc-did-you-mean";
    line.appendChild(document.createTextNode(document.documentElement.getAttribute("data-did-you-mean") || ""));
    data.words.forEach(function (word, i) {
      line.appendChild(document.createTextNode(i ? ", " : " "));
      var link = document.createElement("button");
      link.type = "button";
      link.className = "cc-did-you-mean__word";
      link.textContent = word;
      link.addEventListener("click", function (event) {
        event.preventDefault();
        input.value = word;
        input.focus();
        // Material searches on the field's input and key events, as when typed.
        input.dispatchEvent(new Event("input", { bubbles: true }));
        input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true, key: "End" }));
      });
      line.appendChild(link);
    });
    meta.parentNode.insertBefore(line, meta.nextSibling);
  }

  // "No course runs in Kenya yet. See the courses with online runs."
  function showPlace(data) {
    var input = document.querySelector("[data-md-component=search-query]");
    var meta = document.querySelector(".md-search-result__meta");
    if (!input || !meta || input.value !== data.query) return;
    removeSuggestions();
    var root = document.documentElement;
    var line = document.createElement("p");
    line.className = "cc-did-you-mean cc-place";
    line.appendChild(document.createTextNode(
      (root.getAttribute("data-place-none") || "").replace("{place}", data.place) + " "));
    var catalog = root.getAttribute("data-catalog");
    if (catalog) {
      var link = document.createElement("a");
      link.href = catalog + "?online=yes";
      link.textContent = root.getAttribute("data-place-online") || "";
      line.appendChild(link);
    }
    meta.parentNode.insertBefore(line, meta.nextSibling);
  }

  function removeSuggestions() {
    var old = document.querySelector(".cc-did-you-mean");
    if (old) old.parentNode.removeChild(old);
  }

  function watch(worker) {
    worker.addEventListener("message", function (event) {
      var message = event.data;
      if (message && message.type === "catalog-suggest") showSuggestions(message.data);
      else if (message && message.type === "catalog-place") showPlace(message.data);
      else if (message && message.type === 3) removeSuggestions();
    });
    return worker;
  }

  // Material creates its worker with `new Worker(url)`; the offline copy's
  // iframe-worker shim replaces Worker before this script runs, and is watched alike.
  var Native = window.Worker;
  if (Native) {
    var Watched = function (url, options) { return watch(new Native(url, options)); };
    Watched.prototype = Native.prototype;
    window.Worker = Watched;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var dialog = document.querySelector('.md-search[role="dialog"]');
    var input = dialog && dialog.querySelector(".md-search__input");
    if (input && !dialog.hasAttribute("aria-label")) {
      dialog.setAttribute("aria-label", input.getAttribute("aria-label") || "");
    }
  });
})();
