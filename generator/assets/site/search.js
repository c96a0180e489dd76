// The handbook's own search (`search: handbook`, the default): a header button and `/` open a
// dialog; the index (search/handbook.json, built from the YAML by generator/render/search_index.py)
// is fetched once, from the site itself. Queries are folded and cut exactly as the index was.
// No dependencies; results are built with textContent, never innerHTML.
(function (root) {
  "use strict";
  var TOKEN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z]+-?[0-9]+|[0-9]+(?:\.[0-9]+)?%?|[a-z]+/g;
  var ID = /^([a-z]+)-?([0-9]+)$/;
  var KIND_PRIOR = { s: 1, g: 0.9, t: 0.8, c: 0.8, r: 0.7 };  // standard, glossary, template, chapter, retired
  var LIMIT = 10;
  var SNIPPET = 72;  // characters: about two lines of the dialog

  // index: search/handbook.json; load(path): a promise of the JSON of a part beside it (search/handbook/…).
  function Engine(index, load) {
    this.index = index;
    this.load = load;
    this.parts = {};  // path -> promise of its JSON
    var table = {};
    for (var i = 0; i + 1 < index.fold.length; i += 2) table[index.fold[i]] = index.fold[i + 1];
    this.table = table;
    this.titles = [];  // entry number -> its title folded, once: a broad query scores thousands of entries
  }

  Engine.prototype.part = function (path) {
    if (!this.parts[path]) this.parts[path] = this.load(path);
    return this.parts[path];
  };

  // Which postings file holds a token: FNV-1a, as shard() in search_index.py.
  Engine.prototype.shard = function (token) {
    var value = 0x811c9dc5;
    for (var i = 0; i < token.length; i++) value = Math.imul(value ^ token.charCodeAt(i), 0x01000193) >>> 0;
    return "t" + (value % this.index.shards) + ".json";
  };

  // Half-width, lower case, simplified: one character to one, as fold() in search_index.py.
  Engine.prototype.fold = function (text) {
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var ch = text[i], code = text.charCodeAt(i);
      if (code >= 0xff01 && code <= 0xff5e) ch = String.fromCharCode(code -= 0xfee0);
      else if (code === 0x3000) ch = " ";
      out += this.table[ch] || (code < 128 ? ch.toLowerCase() : ch);
    }
    return out;
  };

  // The query cut as the index was: units, each with its tokens and their weights. A pair of
  // characters or a word is a unit that counts towards coverage; single characters count little
  // (they break ties, or rescue a query of one character); a Latin word also matches by prefix.
  Engine.prototype.cut = function (folded) {
    var units = [], marks = [], self = this;
    function unit(alternatives, counts) { units.push({ tokens: alternatives, counts: counts }); }
    (folded.match(TOKEN) || []).forEach(function (word) {
      if (word >= "\u3400") {
        if (word.length === 1) { unit(single(word, 1), true); marks.push(word); return; }
        for (var i = 0; i + 1 < word.length; i++) { unit(single(word.substr(i, 2), 1), true); marks.push(word.substr(i, 2)); }
        for (var j = 0; j < word.length; j++) unit(single(word[j], 0.15), false);
        return;
      }
      var glued = ID.exec(word), alternatives = single(glued ? glued[1] + glued[2] : word, 1);
      marks.push(word);
      if (glued) {
        unit(single(glued[1], 0.3), false);
        unit(single(glued[2], 0.1), false);
        marks.push(glued[1]);
      } else if (word.length >= 2 && /^[a-z]/.test(word)) {
        self.prefixed(word).forEach(function (t) { alternatives[t] = 0.5; });
      }
      unit(alternatives, true);
    });
    return { units: units, marks: marks };
  };

  function single(token, weight) { var one = {}; one[token] = weight; return one; }

  Engine.prototype.prefixed = function (word) {
    var found = [], words = this.words, lo = 0, hi = words.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (words[mid] < word) lo = mid + 1; else hi = mid; }
    for (var i = lo; i < words.length && found.length < 20 && words[i].lastIndexOf(word, 0) === 0; i++) {
      if (words[i] !== word) found.push(words[i]);
    }
    return found;
  };

  // A promise of {results: [{entry, score}], marks, count}: the parts of the index the query needs
  // are fetched (once), then the best entries, then their chunks of entries to show.
  Engine.prototype.search = function (query) {
    var self = this, index = this.index, folded = this.fold(query);
    if (/[a-z]/.test(folded) && !this.words) {  // Latin words match by prefix: fetch the list of words first
      return this.part("words.json").then(function (words) { self.words = words; return self.search(query); });
    }
    var cut = this.cut(folded), paths = {};
    cut.units.forEach(function (unit) {
      Object.keys(unit.tokens).forEach(function (token) { paths[self.shard(token)] = true; });
    });
    var names = Object.keys(paths);
    return Promise.all(names.map(function (p) { return self.part(p); })).then(function (loaded) {
      var postings = {};
      names.forEach(function (name, i) { postings[name] = loaded[i]; });
      var ranked = self.rank(folded, cut.units, function (token) { return postings[self.shard(token)][token]; });
      var top = ranked.slice(0, LIMIT), chunks = {};
      top.forEach(function (r) { chunks["e" + Math.floor(r.number / index.chunk) + ".json"] = true; });
      var files = Object.keys(chunks);
      return Promise.all(files.map(function (p) { return self.part(p); })).then(function () {
        return Promise.all(top.map(function (r) {
          return self.part("e" + Math.floor(r.number / index.chunk) + ".json").then(function (chunk) {
            return { entry: chunk[r.number % index.chunk], score: r.score };
          });
        }));
      }).then(function (results) { return { results: results, marks: cut.marks, count: ranked.length }; });
    });
  };

  // Entries by score: Σ idf × weight over the query's units (the best token of each), times the
  // share of the query's units an entry has (squared), a small prior by kind, and a bonus when the
  // whole query is in the title.
  Engine.prototype.rank = function (folded, units, postingsOf) {
    var index = this.index, total = 0, scores = {}, covered = {}, count = index.titles.length;
    units.forEach(function (unit) {
      var best = {}, idf = 0;
      Object.keys(unit.tokens).forEach(function (token) {
        var weight = unit.tokens[token], list = postingsOf(token);
        if (!list) return;
        var tokenIdf = Math.log(1 + count / (list.length / 2));
        idf = Math.max(idf, tokenIdf * weight);
        for (var i = 0; i < list.length; i += 2) {
          var value = weight * tokenIdf * list[i + 1] / 10;  // weights are stored × 10, as integers
          if (!(best[list[i]] >= value)) best[list[i]] = value;
        }
      });
      if (unit.counts) total += idf;
      Object.keys(best).forEach(function (n) {
        scores[n] = (scores[n] || 0) + best[n];
        if (unit.counts) covered[n] = (covered[n] || 0) + idf;
      });
    });
    var whole = folded.replace(/\s+/g, ""), self = this;
    var ranked = Object.keys(scores).map(function (key) {
      var number = Number(key), title = self.titles[number];
      if (title === undefined) title = self.titles[number] = self.fold(index.titles[number]).replace(/\s+/g, "");
      var coverage = total ? (covered[key] || 0) / total : 1;
      var score = scores[key] * coverage * coverage * (KIND_PRIOR[index.kinds[number]] || 1);
      if (whole && title === whole) score *= 2;
      else if (whole.length > 1 && title.indexOf(whole) >= 0) score *= 1.5;
      return { number: number, score: score };
    });
    ranked.sort(function (a, b) { return b.score - a.score || a.number - b.number; });
    return ranked;
  };

  // Pieces of text [[text, marked], …]: the stretch with the first match, about two lines long.
  Engine.prototype.snippet = function (text, marks, length) {
    var folded = this.fold(text), ranges = [];
    marks.forEach(function (mark) {
      for (var at = folded.indexOf(mark); at >= 0 && mark; at = folded.indexOf(mark, at + 1)) {
        ranges.push([at, at + mark.length]);
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0]; });
    ranges = ranges.reduce(function (merged, r) {  // overlapping pairs of a term marked as one run
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
      return merged;
    }, []);
    var start = 0;
    if (length && text.length > length && ranges.length) start = Math.max(0, Math.min(ranges[0][0] - 12, text.length - length));
    var end = length ? Math.min(text.length, start + length) : text.length;
    var pieces = [], at = start;
    if (start > 0) pieces.push(["…", false]);
    ranges.forEach(function (r) {
      var from = Math.max(r[0], at), to = Math.min(r[1], end);
      if (to <= from) return;
      if (from > at) pieces.push([text.slice(at, from), false]);
      pieces.push([text.slice(from, to), true]);
      at = to;
    });
    if (at < end) pieces.push([text.slice(at, end), false]);
    if (end < text.length) pieces.push(["…", false]);
    return pieces;
  };

  root.HandbookSearch = Engine;
  if (typeof module !== "undefined" && module.exports) { module.exports = Engine; return; }

  // --- the dialog -------------------------------------------------------------------------
  function fill(element, pieces) {
    pieces.forEach(function (piece) {
      if (piece[1]) {
        var mark = document.createElement("mark");
        mark.textContent = piece[0];
        element.appendChild(mark);
      } else element.appendChild(document.createTextNode(piece[0]));
    });
  }

  function setup(button) {
    var dialog = document.querySelector("dialog.hb-search[data-index]");
    if (button.dataset.ready || !dialog || !dialog.showModal) return;
    button.dataset.ready = "1";
    var header = document.querySelector(".md-header__inner");
    if (header) header.insertBefore(button, header.querySelector(".md-header__source"));
    button.hidden = false;
    var input = dialog.querySelector(".hb-search__input");
    var list = dialog.querySelector(".hb-search__results");
    var status = dialog.querySelector(".hb-search__status");
    var base = dialog.dataset.index.replace(/search\/handbook\.json$/, "");
    var labels = JSON.parse(dialog.dataset.labels);
    var engine = null, loading = null, shown = 0;

    function load() {
      if (!loading) {
        var get = function (url) { return fetch(url).then(function (r) { return r.json(); }); };
        loading = get(dialog.dataset.index).then(function (index) {
          engine = new Engine(index, function (part) { return get(base + "search/handbook/" + part); });
        });
      }
      return loading;
    }
    function show() {
      var query = input.value.trim(), asked = ++shown;
      if (!query) { list.textContent = ""; status.textContent = ""; return; }
      load().then(function () { return engine.search(query); }).then(function (found) {
        if (asked !== shown) return;  // a later keystroke has its own results
        render(found);
      });
    }
    function render(found) {
      list.textContent = "";
      status.textContent = found.count ? labels.count.replace("{n}", found.count) : labels.none;
      found.results.forEach(function (result) {
        var entry = result.entry, item = document.createElement("li"), link = document.createElement("a");
        link.href = base + entry.u;
        link.setAttribute("data-search-result", "");
        link.className = "hb-search__result";
        var head = document.createElement("span");
        head.className = "hb-search__title";
        if (entry.i) {
          var id = document.createElement("span");
          id.className = "hb-search__id";
          fill(id, engine.snippet(entry.i, found.marks, 0));
          head.appendChild(id);
        }
        fill(head, engine.snippet(entry.i && entry.k === "retired" ? "" : entry.t, found.marks, 0));
        link.appendChild(head);
        var where = document.createElement("span");
        where.className = "hb-search__where";
        where.textContent = [labels.kinds[entry.k], entry.c, entry.f].filter(Boolean).join(" · ");
        link.appendChild(where);
        if (entry.x) {
          var text = document.createElement("span");
          text.className = "hb-search__text";
          fill(text, engine.snippet(entry.x, found.marks, SNIPPET));
          link.appendChild(text);
        }
        item.appendChild(link);
        list.appendChild(item);
      });
    }
    function open() {
      load();
      if (!dialog.open) dialog.showModal();
      input.focus();
      input.select();
    }
    // The first query should not wait for the index's main file: fetch it once the page is idle
    // (titles and kinds only; the parts a query needs still come with the query).
    (root.requestIdleCallback || function (task) { return setTimeout(task, 500); })(function () { load(); });
    input.addEventListener("input", show);
    root.hbSearchDialog(button, dialog, open);  // handbook.js, loaded before this file
  }
  function init() { document.querySelectorAll("[data-hb-handbook-search]").forEach(setup); }
  if (root.document$) root.document$.subscribe(init);
  else document.addEventListener("DOMContentLoaded", init);
})(typeof window !== "undefined" ? window : globalThis);
