/*
 * Search worker of the catalog: forgives the query, then hands over to
 * Material's own worker (loaded below, unchanged), in lunr's query language.
 *
 * The Chinese index text is segmented at build time (site_builder/search.py)
 * with the catalog's vocabulary.  A Chinese query has no spaces, so before
 * Material's worker sees it we cut each run of Han characters into the longest
 * words that occur in the index (forward maximum matching).  A word thus
 * matches whether the build-time segmenter kept it whole (物联网) or split it
 * (物|联网); a piece that is no word of the index but part of one (中兴 in
 * 中兴通讯) is searched as part of a word (*中兴*).
 *
 * English words are stemmed here with lunr's own stemmer, as the index is, so
 * that "sensors" finds "sensor" (lunr does not stem a term it expands as a
 * prefix).  A course code (OPT-101) is one token in the index, joined by a
 * non-breaking hyphen (U+2011) that the separator does not split on; the query
 * is joined the same way.
 *
 * The index carries the build's tables (search.search_aids, in its config under
 * "catalog"):
 * traditional characters become the simplified ones of the index, a British
 * or American spelling the one the index uses, the toneless pinyin of a word
 * adds the word, a synonym (courses/_shared/synonyms.yml, the term base) adds
 * the others of its group, and a word of five letters or more that is not in
 * the index is searched with one edit allowed (lunr's word~1).  Material ranks
 * by how many of the query's words a page matches, so a natural phrase finds
 * the pages matching most of it.  When a query finds nothing, the closest
 * words of the index go to the page as suggestions ("Did you mean"; see
 * catalog-lazy-search.js).
 */
(function () {
  "use strict";
  var HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
  var HAN_CHAR = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/g;
  var CODE = /\b([A-Za-z]{2,6})-(\d{3,4}[A-Za-z]?)\b/g;
  var LATIN = /[A-Za-z]+/g;
  var TYPO_FROM = 5;  // letters: shorter words are too easily another word
  var vocabulary = Object.create(null);   // Han words of the index
  var latin = Object.create(null);        // Latin words of the index, lower case -> count
  var stems = null;                       // their stems (made once lunr is loaded)
  var longest = 1;
  var aids = { synonyms: [], spellings: {}, traditional: {}, pinyin: {} };
  var lastQuery = "";

  // The index joins the characters of a Chinese word with U+2060 (search.py,
  // WORD_JOINER), so that Material's worker does not cut it again; the query's
  // words are joined the same way.
  var JOINER = "\u2060";

  function joined(word) {
    return word.length > 1 ? word.split("").join(JOINER) : word;
  }

  function learn(text, separator) {
    var tokens = String(text || "").replace(/<[^>]*>/g, " ").split(JOINER).join("").split(separator);
    for (var i = 0; i < tokens.length; i++) {
      var runs = tokens[i].match(HAN) || [];
      for (var j = 0; j < runs.length; j++) {
        vocabulary[runs[j]] = true;
        if (runs[j].length > longest) longest = runs[j].length;
      }
      var words = tokens[i].match(LATIN) || [];
      for (var k = 0; k < words.length; k++) {
        var word = words[k].toLowerCase();
        latin[word] = (latin[word] || 0) + 1;
      }
    }
  }

  var CONTAINING = 6;    // longer words a piece of a query stands for, at most
  var TERM_BOOST = 10;   // a word of the trade weighs this much more than a common word
  var terms = Object.create(null);

  // The index's words that contain ``piece`` (中兴 -> 中兴通讯), shortest first.
  function containing(piece) {
    var found = [];
    for (var word in vocabulary) {
      if (word.length > piece.length && word.indexOf(piece) !== -1) found.push(word);
    }
    return found.sort(function (a, b) { return a.length - b.length || (a < b ? -1 : 1); }).slice(0, CONTAINING);
  }

  function weigh(word) {
    return joined(word) + (terms[word] ? "^" + TERM_BOOST : "");
  }

  // A run of Han characters as words of the index: at each point the longest
  // word, or the longest piece (two characters or more) that is part of words,
  // whichever is longer; a piece stands for itself and the words containing it.
  function segment(run, singlesDropped) {
    var words = [];
    var i = 0;
    while (i < run.length) {
      var size = Math.min(longest, run.length - i);
      while (size > 1 && !vocabulary[run.substr(i, size)]) size--;
      var part = Math.min(longest, run.length - i);
      while (part > size && !containing(run.substr(i, part)).length) part--;
      var piece = run.substr(i, Math.max(size, part));
      if (piece.length === 1 && singlesDropped) { i += 1; continue; }
      words.push(vocabulary[piece] ? weigh(piece) : joined(piece));
      // The longer words a piece stands for weigh no more than the piece:
      // 汽车维修 is about repair, not about 新能源汽车, a word of the trade.
      if (piece.length > 1) words.push.apply(words, containing(piece).map(joined));
      i += piece.length;
    }
    return words.join(" ");
  }

  function stem(word) {
    var lunr = self.lunr;
    if (!lunr || !lunr.stemmer) return word.toLowerCase();
    return String(lunr.stemmer(new lunr.Token(word.toLowerCase())));
  }

  function known(word) {
    if (!stems && self.lunr) {
      stems = Object.create(null);
      for (var w in latin) stems[stem(w)] = true;
    }
    return latin[word.toLowerCase()] || (stems && stems[stem(word)]);
  }

  // The words a query adds: the other members of each synonym group it names
  // (whole words for Latin script, anywhere for Chinese).
  function stems_of(text) {
    return " " + (text.match(LATIN) || []).map(stem).join(" ") + " ";
  }

  function additions(query) {
    var said = stems_of(query);
    var out = [];
    aids.synonyms.forEach(function (group) {
      var named = group.some(function (member) {
        return /[A-Za-z]/.test(member) ? said.indexOf(stems_of(member)) !== -1 : query.indexOf(member) !== -1;
      });
      if (!named) return;
      group.forEach(function (member) {
        var there = /[A-Za-z]/.test(member) ? said.indexOf(stems_of(member)) !== -1 : query.indexOf(member) !== -1;
        if (!there) out.push(member);
      });
    });
    return out;
  }

  function hasPinyin(key) {
    return Object.prototype.hasOwnProperty.call(aids.pinyin, key);
  }

  // Toneless pinyin typed for words (xinnengyuan, xin neng yuan, or two words
  // run together: jiguangjiagong) becomes the words.
  function pinyinWords(key) {
    if (known(key)) return null;
    if (hasPinyin(key)) return aids.pinyin[key];
    // The fewest known pinyin words that make up the key, from the left.
    var best = [[]];
    for (var end = 1; end <= key.length; end++) {
      best[end] = null;
      for (var start = Math.max(0, end - 24); start < end; start++) {
        var part = key.slice(start, end);
        if (best[start] && hasPinyin(part) && (!best[end] || best[start].length + 1 < best[end].length)) {
          best[end] = best[start].concat([aids.pinyin[part][0]]);
        }
      }
    }
    var found = best[key.length];
    return found && found.length <= 4 ? found : null;
  }

  function fromPinyin(query) {
    var words = query.match(LATIN) || [];
    var whole = words.length > 1 ? pinyinWords(words.join("").toLowerCase()) : null;
    if (whole) return query.replace(LATIN, "").trim() + " " + whole.join(" ");
    return query.replace(LATIN, function (w) {
      var found = w.length >= 4 ? pinyinWords(w.toLowerCase()) : null;
      return found ? found.join(" ") : w;
    });
  }

  function forgive(query) {
    var q = query.replace(HAN_CHAR, function (ch) { return aids.traditional[ch] || ch; });
    q = q.replace(LATIN, function (w) { return aids.spellings[w.toLowerCase()] || w; });
    q = fromPinyin(q);
    var added = additions(q);
    q = q.replace(CODE, "$1\u2011$2").replace(LATIN, function (w) {
      if (stopWord(w)) return "";
      if (w.length >= 3 && !known(w)) {
        var near = w.length >= TYPO_FROM ? corrections(w) : [];
        if (near.length) return near.map(stem).join(" ");
        var inside = latinContaining(w);  // RTOS in FreeRTOS
        if (inside.length) return inside.map(stem).join(" ");
        if (w.length >= TYPO_FROM) return w.toLowerCase() + "~1";
      }
      return w.length >= 4 ? stem(w) : w;
    });
    if (added.length) q += " " + added.join(" ").replace(LATIN, function (w) { return w.length >= 4 ? stem(w) : w; });
    // In a phrase, single characters (我, 想, 的) say little once it has words.
    var han = q.match(HAN) || [];
    var dropSingles = han.join("").length > 1 && han.some(function (run) {
      return segment(run, false).split(" ").some(function (piece) { return piece.replace(/\^.*/, "").length > 1; });
    });
    q = q.replace(HAN, function (run) { return segment(run, dropSingles); });
    return q.replace(/\s+/g, " ").trim();
  }

  // lunr's own English stop words (a, the, how, do...): Material searches
  // each word as a prefix too, and "a*" would match every "and".
  function stopWord(w) {
    var lunr = self.lunr;
    return !!(lunr && lunr.stopWordFilter && lunr.stopWordFilter(new lunr.Token(w.toLowerCase())) === undefined);
  }

  // The index's words that contain a word it does not have (rtos: freertos).
  function latinContaining(w) {
    w = w.toLowerCase();
    return Object.keys(latin).filter(function (word) { return word.length > w.length && word.indexOf(w) !== -1; })
      .sort(function (a, b) { return latin[b] - latin[a] || (a < b ? -1 : 1); }).slice(0, 3);
  }

  // The index's words one edit away (a letter wrong, missing, extra, or two
  // swapped): "contrl" -> control, "robto" -> robot; most frequent first.
  function corrections(w) {
    w = w.toLowerCase();
    return Object.keys(latin).filter(function (word) {
      return Math.abs(word.length - w.length) <= 1 && word.length >= TYPO_FROM - 1 && edits(w, word) === 1;
    }).sort(function (a, b) { return latin[b] - latin[a] || (a < b ? -1 : 1); }).slice(0, 3);
  }

  // Edits between two words (optimal string alignment: a swap counts once).
  function edits(a, b) {
    var d = [];
    for (var i = 0; i <= a.length; i++) { d.push([i]); }
    for (var j = 1; j <= b.length; j++) d[0][j] = j;
    for (i = 1; i <= a.length; i++) {
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length][b.length];
  }

  // "Did you mean": the index's words closest to each word of a query that
  // found nothing (at most two edits for Latin script; for Chinese, words
  // sharing most of its characters), most frequent first.
  function suggestions(query) {
    var found = [];
    (query.match(LATIN) || []).forEach(function (w) {
      w = w.toLowerCase();
      if (w.length < 3 || latin[w]) return;
      var best = Object.keys(latin).map(function (word) {
        return [Math.abs(word.length - w.length) > 2 ? 3 : edits(w, word), -latin[word], word];
      })
        .filter(function (c) { return c[0] <= 2; })
        .sort(function (x, y) { return x[0] - y[0] || x[1] - y[1] || (x[2] < y[2] ? -1 : 1); });
      best.slice(0, 3).forEach(function (c) { found.push(c[2]); });
      // Toneless pinyin a letter or two off (xinnengyaun): the Chinese words.
      Object.keys(aids.pinyin).filter(function (key) {
        return Math.abs(key.length - w.length) <= 2 && edits(w, key) <= 2;
      }).sort(function (a, b) { return edits(w, a) - edits(w, b) || (a < b ? -1 : 1); })
        .slice(0, 3).forEach(function (key) { found.push.apply(found, aids.pinyin[key]); });
    });
    (query.replace(HAN_CHAR, function (ch) { return aids.traditional[ch] || ch; }).match(HAN) || [])
      .forEach(function (run) {
        var chars = run.split("");
        var best = Object.keys(vocabulary).filter(function (word) {
          return word.length > 1 && chars.some(function (ch) { return word.indexOf(ch) !== -1; });
        }).map(function (word) {
          return [-chars.filter(function (ch) { return word.indexOf(ch) !== -1; }).length, word.length, word];
        }).sort(function (x, y) { return x[0] - y[0] || x[1] - y[1] || (x[2] < y[2] ? -1 : 1); });
        best.slice(0, 3).forEach(function (c) { found.push(c[2]); });
      });
    return found.filter(function (word, i) { return found.indexOf(word) === i; }).slice(0, 5);
  }

  // The learner's own words in a query: as typed, in simplified characters,
  // with their spelling in the index, their stems, and the Chinese words a
  // toneless pinyin word stands for.
  function ownWords(query) {
    var said = query.replace(HAN_CHAR, function (ch) { return aids.traditional[ch] || ch; });
    var words = { han: said.match(HAN) || [], latin: Object.create(null) };
    (said.match(LATIN) || []).forEach(function (w) {
      w = w.toLowerCase();
      [w, aids.spellings[w]].forEach(function (form) {
        if (!form) return;
        words.latin[form.toLowerCase()] = true;
        words.latin[stem(form)] = true;
      });
      (pinyinWords(w) || []).forEach(function (han) { words.han.push(han); });
    });
    var joinedWords = (said.match(LATIN) || []).join("").toLowerCase();
    (pinyinWords(joinedWords) || []).forEach(function (han) { words.han.push(han); });
    return words;
  }

  // A result names only the learner's own words: the words the query was
  // rewritten with (synonyms, stems, corrections, the longer words a piece
  // stands for) are neither shown as missing nor carried into the page's
  // address (?h=, search.highlight), and no word joiner leaves the worker.
  function ownTerms(terms, words) {
    var out = {};
    Object.keys(terms || {}).forEach(function (key) {
      // Material's own marks come off too: +word, word*, word^10, word~1.
      var word = key.split(JOINER).join("").replace(/\u2011/g, "-").replace(/^[+-]|\*/g, "")
        .replace(/[\^~][0-9.]*$/, "");
      var mine = /[A-Za-z]/.test(word) ? !!words.latin[word.toLowerCase()]
        : words.han.some(function (run) { return run.indexOf(word) !== -1; });
      if (mine) out[word] = out[word] || terms[key];
    });
    return out;
  }

  function ownResults(data) {
    if (!data || !data.items) return data;
    var words = ownWords(lastQuery);
    data.items.forEach(function (group) {
      group.forEach(function (doc) { doc.terms = ownTerms(doc.terms, words); });
    });
    return data;
  }

  // A country named in a query (in either language, search_aids "places"):
  // [its name in the page's language, whether a course runs there], or null.
  function placeOf(query) {
    var q = query.replace(HAN_CHAR, function (ch) { return aids.traditional[ch] || ch; }).toLowerCase();
    var best = null;
    Object.keys(aids.places || {}).forEach(function (name) {
      if (name.length < 2 || (best && name.length <= best.length)) return;
      var at = q.indexOf(name);
      if (at === -1) return;
      // A Latin name is a whole word of the query ("oman" is not in "romania").
      if (/[a-z]/.test(name) && (/[a-z]/.test(q.charAt(at - 1)) || /[a-z]/.test(q.charAt(at + name.length)))) return;
      best = name;
    });
    return best ? aids.places[best] : null;
  }

  // What the tests ask the worker directly (Playwright evaluates in workers):
  // the forgiven form of a query, its suggestions, the place it names, the last results.
  self.catalogSearch = { forgive: forgive, suggestions: suggestions, placeOf: placeOf };

  // Material's worker answers through postMessage: a result without any item
  // is followed by the suggestions for its query.
  var post = self.postMessage;
  self.postMessage = function (message) {
    if (message && message.type === 3) ownResults(message.data);
    post.apply(self, arguments);
    if (message && message.type === 3) self.catalogSearch.results = message.data;
    if (!message || message.type !== 3 || !message.data || !message.data.items || !lastQuery.trim()) return;
    // A country where no course runs yet: said plainly, with the way to the
    // online runs, instead of look-alike words ("Kenya": not "key").
    var place = placeOf(lastQuery);
    if (place && !place[1]) {
      post.call(self, { type: "catalog-place", data: { query: lastQuery, place: place[0] } });
    } else if (!message.data.items.length) {
      post.call(self, { type: "catalog-suggest", data: { query: lastQuery, words: suggestions(lastQuery) } });
    }
  };

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

  // A query is forgiven when Material's worker (and lunr, whose stemmer it
  // uses) is there: at once, or when the queries that came meanwhile go on.
  function prepare(message) {
    if (message.type === 2 && typeof message.data === "string") {
      lastQuery = message.data;
      message.data = forgive(message.data);
    }
    return message;
  }

  function loadMaterial() {
    state = "loading";
    Promise.resolve(importScripts(materialWorker())).then(function () {
      state = "ready";
      waiting.splice(0).forEach(function (message) { handOver(prepare(message)); });
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
      if (message.data.config.catalog) aids = message.data.config.catalog;
      (aids.terms || []).forEach(function (word) { terms[word] = true; });
    } else if (state === "ready") {
      prepare(message);
    }
    if (state !== "ready") {
      waiting.push(message);
      if (state === "idle") loadMaterial();
    }
  });
})();
