/*
 * Search worker of the catalog: segments Chinese queries, then hands over to
 * Material's own worker (loaded below, unchanged).
 *
 * The Chinese index text is segmented at build time (site_builder/search.py)
 * with the catalog's vocabulary.  A Chinese query has no spaces, so before
 * Material's worker sees it we cut each run of Han characters into the longest
 * words that occur in the index (forward maximum matching).  A word thus
 * matches whether the build-time segmenter kept it whole (物联网) or split it
 * (物|联网).
 *
 * English words are stemmed here with lunr's own stemmer, as the index is, so
 * that "sensors" finds "sensor" (lunr does not stem a term it expands as a
 * prefix).  A course code (OPT-101) is one token in the index, joined by a
 * non-breaking hyphen (U+2011) that the separator does not split on; the query
 * is joined the same way.
 */
(function () {
  "use strict";
  var HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
  var CODE = /\b([A-Za-z]{2,6})-(\d{3,4}[A-Za-z]?)\b/g;
  var WORD = /[A-Za-z]{4,}/g;
  var vocabulary = Object.create(null);
  var longest = 1;

  function learn(text, separator) {
    var tokens = String(text || "").replace(/<[^>]*>/g, " ").split(separator);
    for (var i = 0; i < tokens.length; i++) {
      var runs = tokens[i].match(HAN) || [];
      for (var j = 0; j < runs.length; j++) {
        vocabulary[runs[j]] = true;
        if (runs[j].length > longest) longest = runs[j].length;
      }
    }
  }

  function segment(run) {
    var words = [];
    var i = 0;
    while (i < run.length) {
      var size = Math.min(longest, run.length - i);
      while (size > 1 && !vocabulary[run.substr(i, size)]) size--;
      words.push(run.substr(i, size));
      i += size;
    }
    return words.join(" ");
  }

  function stem(word) {
    var lunr = self.lunr;
    if (!lunr || !lunr.stemmer) return word;
    return String(lunr.stemmer(new lunr.Token(word.toLowerCase())));
  }

  // Material's worker is fetched only when the first message (the index)
  // arrives, i.e. when the learner starts searching; it then gets the messages
  // that came meanwhile, in order.  From file:// this runs in an iframe (the
  // iframe-worker shim) where importScripts loads asynchronously and relative
  // to the page, so the URL is made absolute from this script's own.
  var state = "idle";
  var waiting = [];
  var handingOver = false;

  function here() {
    if (self.document) {
      var script = self.document.querySelector('script[src*="catalog-search.js"]');
      if (script) return script.src;
    }
    return self.location.href;
  }

  // Material's own worker: its address (with the theme's hashed file name)
  // comes in this script's URL fragment, from Material's configuration as the
  // theme wrote it (site_builder/plugin.py, search_config).
  function materialWorker() {
    var url = new URL(here());
    return new URL(decodeURIComponent(url.hash.slice(1)), url).href;
  }

  function handOver(message) {
    handingOver = true;
    self.dispatchEvent(new MessageEvent("message", { data: message }));
    handingOver = false;
  }

  function loadMaterial() {
    state = "loading";
    Promise.resolve(importScripts(materialWorker())).then(function () {
      state = "ready";
      waiting.splice(0).forEach(handOver);
    });
  }

  self.addEventListener("message", function (event) {
    var message = event.data;
    if (!message || handingOver) return;
    if (message.type === 0 && message.data && message.data.docs) {
      var separator = new RegExp(message.data.config.separator);
      for (var k = 0; k < message.data.docs.length; k++) {
        learn(message.data.docs[k].title, separator);
        learn(message.data.docs[k].text, separator);
      }
    } else if (message.type === 2 && typeof message.data === "string") {
      message.data = message.data
        .replace(CODE, "$1\u2011$2")
        .replace(WORD, stem)
        .replace(HAN, segment);
    }
    if (state !== "ready") {
      waiting.push(message);
      if (state === "idle") loadMaterial();
    }
  });
})();
