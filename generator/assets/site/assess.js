// The self-assessment page: answer every check, see the score, the star level and the list of
// what to put right update as you go.
// Answers stay in this browser (localStorage, one entry per edition) and move as an answers file (JSON),
// the same format `handbook score` reads. No server, no dependencies, works offline.
// score() mirrors generator/model/rating.py step by step: change one, change the other.
// A big edition has 12,000 checks: only the chapters near the screen hold their fields (built as they come
// near, taken down when far away), so a click restyles and lays out a small page; printing builds them all.
(function () {
  "use strict";
  var RESULTS = ["met", "partial", "unmet", "na"];

  function round1(x) { return Math.floor(x * 10 + 0.5) / 10; }

  function score(data, answers) {
    var rules = data.rules, fullNa = rules.not_applicable === "full";
    var earnedTotal = 0, applicableTotal = 0, maximum = 0, unanswered = 0;
    var vetoes = [], chapters = [], findings = [];
    data.chapters.forEach(function (chapter) {
      var earned = 0, applicable = 0, max = 0;
      chapter.checks.forEach(function (check) {
        var points = check.points;
        maximum += points;
        max += points;
        var answer = answers[check.key];
        var result = answer ? answer.result : null;
        if (result === "na") {
          if (fullNa) { earned += points; applicable += points; }
          return;
        }
        applicable += points;
        if (result === "met") {
          earned += points;
        } else if (result === "partial") {
          var given = answer.points || 0;
          earned += given;
          findings.push({key: check.key, result: result, points: given});
        } else if (result === "unmet") {
          findings.push({key: check.key, result: result, points: 0});
          if (check.veto && vetoes.indexOf(check.standard) < 0) vetoes.push(check.standard);
        } else {
          unanswered += 1;
        }
      });
      chapters.push({id: chapter.id, earned: earned, applicable: applicable, max: max});
      earnedTotal += earned;
      applicableTotal += applicable;
    });
    var total = applicableTotal > 0 ? round1(earnedTotal * rules.total / applicableTotal) : 0;
    var levels = rules.levels, level = levels[levels.length - 1], i;
    for (i = 0; i < levels.length; i++) if (total >= levels[i].min_score) { level = levels[i]; break; }
    if (vetoes.length && level.stars > rules.veto_max_stars) {
      level = levels[levels.length - 1];
      for (i = 0; i < levels.length; i++) if (levels[i].stars <= rules.veto_max_stars) { level = levels[i]; break; }
    }
    return {total: total, max: rules.total, earned: earnedTotal, applicable: applicableTotal, stars: level.stars,
            level: level.label, veto_failed: vetoes, unanswered: unanswered, chapters: chapters, unmet: findings};
  }

  // FNV-1a (32 bits) of the answers in a fixed order: a short fingerprint printed on the result.
  function fingerprint(state) {
    var keys = Object.keys(state.answers).filter(function (k) { return state.answers[k]; }).sort();
    var text = JSON.stringify([state.edition, state.unit, state.date, keys.map(function (k) {
      var a = state.answers[k];
      return [k, a.result, a.points == null ? null : a.points, a.note || "", a.measure || "", a.owner || "",
              a.due || ""];
    })]);
    var hash = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return ("0000000" + hash.toString(16)).slice(-8);
  }

  window.HandbookAssess = {score: score, fingerprint: fingerprint};

  var script = document.currentScript;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function number(x) { return String(Math.round(x * 100) / 100); }

  // Text changed only where it differs: a big edition's page then lays out one chapter, not all of them.
  function setText(node, text) { if (node.textContent !== text) node.textContent = text; }

  function build(box, data) {
    var L = data.labels, storageKey = "hb-assess:" + data.edition.id;
    var checks = {}, order = [], rows = {}, subtotals = {}, findingRows = {}, parts = [], findingParts = {};
    data.chapters.forEach(function (chapter) {
      chapter.checks.forEach(function (check) { checks[check.key] = check; order.push(check.key); });
    });
    var itemHeight = {checks: 110, findings: 90};  // px, first guesses for parts not yet built; then measured
    var printing = false;
    var state = load();
    var uid = 0;

    function load() {
      var empty = {edition: data.edition.id, unit: "", date: "", answers: {}};
      try {
        var saved = JSON.parse(localStorage.getItem(storageKey) || "null");
        if (saved && saved.edition === data.edition.id && saved.answers) return saved;
      } catch (e) { /* a damaged entry: start afresh */ }
      return empty;
    }
    var saveTimer = null;
    function save() {  // a big edition's answers take a while to serialise: not on every keystroke
      clearTimeout(saveTimer);
      saveTimer = setTimeout(saveNow, 200);
    }
    function saveNow() {
      clearTimeout(saveTimer);
      showPrintHead();
      try { localStorage.setItem(storageKey, JSON.stringify(state)); } catch (e) { /* storage full or off */ }
    }
    window.addEventListener("pagehide", saveNow);

    function field(labelText, input, cls) {
      var id = "hb-a" + (++uid);
      input.id = id;
      return el("div", {"class": "hb-assess-field " + (cls || "")}, [el("label", {"for": id, text: labelText}), input]);
    }

    // --- the form ---------------------------------------------------------------------------
    box.textContent = "";
    var unit = el("input", {type: "text", autocomplete: "organization"});
    var date = el("input", {type: "date"});
    var head = el("div", {"class": "hb-assess-head"}, [field(L.unit, unit), field(L.date, date)]);
    var summary = el("div", {"class": "hb-assess-summary", role: "status", "aria-live": "polite"});
    var sumTotal = el("span", {"class": "hb-assess-total"});
    var sumLevel = el("span", {"class": "hb-assess-level"});
    var sumVeto = el("span", {"class": "hb-assess-veto"});
    var sumOpen = el("span", {"class": "hb-assess-unanswered"});
    [[L.total, sumTotal], [L.level, sumLevel], [L.veto_failed, sumVeto], [L.unanswered, sumOpen]]
      .forEach(function (pair) {
        summary.appendChild(el("span", {"class": "hb-assess-stat"}, [el("span", {text: pair[0] + L.colon}), pair[1]]));
      });
    var printHead = el("div", {"class": "hb-assess-printhead"});
    box.appendChild(printHead);
    box.appendChild(head);
    box.appendChild(summary);

    function buildCheck(key) {
      var check = checks[key];
      var set = el("fieldset", {"class": "hb-assess-check" + (check.veto ? " hb-assess-vetocheck" : ""),
                                "data-key": check.key});
      set.appendChild(el("legend", {}, [
        el("span", {"class": "hb-std-id", text: check.key}), document.createTextNode(" " + check.title + L.colon + check.text),
        el("span", {"class": "hb-assess-max", text: " (" + check.points + ")"}),
        check.veto ? el("span", {"class": "hb-veto-mark", text: " " + L.veto}) : null]));
      var options = el("div", {"class": "hb-assess-options"});
      RESULTS.forEach(function (result) {
        var radio = el("input", {type: "radio", name: "hb-" + check.key, value: result});
        var id = "hb-a" + (++uid);
        radio.id = id;
        options.appendChild(el("span", {"class": "hb-assess-option"}, [radio, el("label", {"for": id, text: L[result]})]));
      });
      set.appendChild(options);
      var points = el("input", {type: "number", min: "0", max: String(check.points), step: "any",
                                inputmode: "decimal", "class": "hb-assess-points"});
      var note = el("input", {type: "text", "class": "hb-assess-note"});
      set.appendChild(el("div", {"class": "hb-assess-extra"}, [
        field(L.points + " (0–" + check.points + ")", points, "hb-assess-pointsfield"), field(L.note, note)]));
      rows[check.key] = {set: set, points: points, note: note, radios: options.querySelectorAll("input")};
      showRow(check.key);
      return set;
    }

    // A chapter's checks and its findings are each a part: built when it comes near the screen, replaced by
    // an empty box of the same height when it goes far off (never while it holds the focus or is printed).
    function buildPart(part) {
      if (part.built) return;
      var items = document.createDocumentFragment();
      part.keys.forEach(function (key) { var item = part.make(key); if (item) items.appendChild(item); });
      part.node.style.height = "";
      part.node.appendChild(items);
      part.built = true;
      part.node.setAttribute("data-built", "");
    }
    function dropPart(part) {
      if (!part.built || printing || part.node.contains(document.activeElement)) return;
      var height = part.node.offsetHeight, count = part.node.children.length;
      if (height && count) itemHeight[part.kind] = height / count;
      part.node.style.height = height + "px";
      part.keys.forEach(part.forget);
      part.node.textContent = "";
      part.built = false;
      part.node.removeAttribute("data-built");
    }
    function sizePart(part) {  // an unbuilt part's height: as many items as it would hold
      var count = part.kind === "checks" ? part.keys.length : part.keys.filter(isOpen).length;
      part.node.style.height = Math.round(count * itemHeight[part.kind]) + "px";
    }
    function addPart(kind, node, keys, make, forget) {
      var part = {kind: kind, node: node, keys: keys, make: make, forget: forget, built: false};
      node.hbPart = part;
      parts.push(part);
      sizePart(part);
      return part;
    }
    function buildAll() {
      printing = true;
      parts.forEach(buildPart);
    }

    var list = document.createDocumentFragment();
    var chapters = data.chapters.filter(function (chapter) { return chapter.checks.length; });
    chapters.forEach(function (chapter) {
      var sub = el("span", {"class": "hb-assess-subtotal"});
      subtotals[chapter.id] = sub;
      var node = el("div", {"class": "hb-assess-checks"});
      addPart("checks", node, chapter.checks.map(function (check) { return check.key; }), buildCheck,
              function (key) { delete rows[key]; });
      list.appendChild(el("section", {"class": "hb-assess-chapter"},
        [el("h2", {text: chapter.title}), el("p", {"class": "hb-assess-sub"}, [el("span", {text: L.subtotal + L.colon}), sub]),
         node]));
    });
    box.appendChild(list);

    var findingsNone = el("p", {"class": "hb-assess-none", text: L.findings_none});
    var findingsBox = el("section", {"class": "hb-assess-findingsbox"},
                         [el("h2", {id: "hb-assess-findings", text: L.findings}), findingsNone]);
    chapters.forEach(function (chapter) {  // one list per chapter, numbered on from the one before
      var node = el("ol", {"class": "hb-assess-findings"}), keys = chapter.checks.map(function (c) { return c.key; });
      var part = addPart("findings", node, keys, buildFinding, function (key) { delete findingRows[key]; });
      keys.forEach(function (key) { findingParts[key] = part; });
      findingsBox.appendChild(node);
    });
    box.appendChild(findingsBox);

    var exportButton = el("button", {type: "button", "class": "md-button md-button--primary", text: L.export});
    var importInput = el("input", {type: "file", accept: ".json,application/json", "class": "hb-assess-file"});
    var printButton = el("button", {type: "button", "class": "md-button", text: L.print});
    var clearButton = el("button", {type: "button", "class": "md-button", text: L.clear});
    var message = el("p", {"class": "hb-assess-message", role: "alert"});
    box.appendChild(el("div", {"class": "hb-assess-actions"},
                       [exportButton, field(L.import, importInput, "hb-assess-import"), printButton, clearButton]));
    box.appendChild(message);

    // --- state -> page ---------------------------------------------------------------------
    function showAnswer(key) {
      showRow(key);
      showFinding(key);
    }

    function showRow(key) {
      var row = rows[key], answer = state.answers[key];
      if (!row) return;  // its chapter is not built now: built later from the state
      var result = answer ? answer.result : null;
      Array.prototype.forEach.call(row.radios, function (radio) { radio.checked = radio.value === result; });
      row.points.disabled = result !== "partial";
      row.points.value = answer && answer.points != null ? answer.points : "";
      row.note.value = answer && answer.note ? answer.note : "";
      row.set.setAttribute("data-result", result || "");
    }

    function isOpen(key) {
      var answer = state.answers[key];
      return Boolean(answer && (answer.result === "unmet" || answer.result === "partial"));
    }

    function buildFinding(key) {
      if (!isOpen(key)) return null;
      var check = checks[key];
      var measure = el("input", {type: "text", "data-field": "measure"});
      var owner = el("input", {type: "text", "data-field": "owner"});
      var due = el("input", {type: "date", "data-field": "due"});
      var status = el("span", {"class": "hb-assess-findingresult"});
      var li = el("li", {"data-key": key}, [
        el("p", {}, [el("span", {"class": "hb-std-id", text: key}), document.createTextNode(" " + check.title + L.colon + check.text + " "), status]),
        el("div", {"class": "hb-assess-extra"}, [field(L.measure, measure, "hb-assess-wide"), field(L.owner, owner), field(L.due, due)])]);
      findingRows[key] = {li: li, status: status, measure: measure, owner: owner, due: due};
      fillFinding(key);
      return li;
    }

    function fillFinding(key) {
      var item = findingRows[key], answer = state.answers[key];
      item.status.textContent = "(" + L[answer.result] + " " + number(answer.points || 0) + "/" + checks[key].points + ")";
      item.measure.value = answer.measure || "";
      item.owner.value = answer.owner || "";
      item.due.value = answer.due || "";
    }

    function showFinding(key) {
      var part = findingParts[key], item = findingRows[key];
      if (!part.built) { sizePart(part); return; }
      if (!isOpen(key)) {
        if (item) { item.li.remove(); delete findingRows[key]; }
        return;
      }
      if (item) { fillFinding(key); return; }
      var li = buildFinding(key), next = null;
      for (var i = part.keys.indexOf(key) + 1; i < part.keys.length && !next; i++) {
        if (findingRows[part.keys[i]]) next = findingRows[part.keys[i]].li;
      }
      part.node.insertBefore(li, next);
    }

    function showScore() {
      var s = score(data, state.answers);
      setText(sumTotal, number(s.total) + " / " + s.max);
      setText(sumLevel, new Array(s.stars + 1).join("★") + " " + s.level);
      setText(sumVeto, s.veto_failed.length ? s.veto_failed.join(L.list_sep) : L.veto_none);
      setText(sumOpen, String(s.unanswered));
      s.chapters.forEach(function (c) {
        if (subtotals[c.id]) setText(subtotals[c.id], number(c.earned) + " / " + number(c.applicable));
      });
      if (findingsNone.hidden !== s.unmet.length > 0) findingsNone.hidden = s.unmet.length > 0;
      var open = new Map(), before = 0;
      s.unmet.forEach(function (f) { var part = findingParts[f.key]; open.set(part, (open.get(part) || 0) + 1); });
      parts.forEach(function (part) {
        if (part.kind !== "findings") return;
        if (part.node.start !== before + 1) part.node.start = before + 1;
        before += open.get(part) || 0;
      });
      box.setAttribute("data-total", String(s.total));
    }

    // Only printed: hashing every answer waits for the save, the print and the first showing.
    function showPrintHead() {
      setText(printHead, [data.edition.label, state.unit, state.date,
                          L.fingerprint + L.colon + fingerprint(state)].filter(Boolean).join(" · "));
    }

    function showAll() {
      unit.value = state.unit || "";
      date.value = state.date || "";
      parts.forEach(function (part) {
        if (!part.built) { sizePart(part); return; }
        part.built = false;
        part.node.textContent = "";
        part.keys.forEach(part.forget);
        buildPart(part);
      });
      showScore();
      showPrintHead();
    }

    // --- page -> state ---------------------------------------------------------------------
    box.addEventListener("change", function (event) {
      var target = event.target, set = target.closest("fieldset[data-key]");
      if (target.type === "radio" && set) {
        var key = set.getAttribute("data-key"), old = state.answers[key] || {};
        var answer = {result: target.value};
        ["note", "measure", "owner", "due"].forEach(function (f) { if (old[f]) answer[f] = old[f]; });
        if (target.value === "partial" && old.points != null) answer.points = old.points;
        state.answers[key] = answer;
        showAnswer(key);
        showScore();
        save();
      }
    });
    box.addEventListener("input", function (event) {
      var target = event.target, key, answer;
      if (target === unit || target === date) {
        state[target === unit ? "unit" : "date"] = target.value;
      } else if (target.classList.contains("hb-assess-points")) {
        key = target.closest("fieldset[data-key]").getAttribute("data-key");
        answer = state.answers[key];
        var value = parseFloat(target.value);
        if (isNaN(value)) delete answer.points;
        else answer.points = Math.min(Math.max(value, 0), checks[key].points);
        showFinding(key);
      } else if (target.classList.contains("hb-assess-note")) {
        key = target.closest("fieldset[data-key]").getAttribute("data-key");
        answer = state.answers[key] = state.answers[key] || {result: null};
        answer.note = target.value;
      } else if (target.getAttribute("data-field")) {
        key = target.closest("li[data-key]").getAttribute("data-key");
        state.answers[key][target.getAttribute("data-field")] = target.value;
      } else {
        return;
      }
      showScore();
      save();
    });

    exportButton.addEventListener("click", function () {
      saveNow();
      var out = {edition: state.edition, unit: state.unit, date: state.date, answers: {}};
      order.forEach(function (key) {
        var a = state.answers[key];
        if (!a || !a.result) { out.answers[key] = null; return; }
        var clean = {result: a.result};
        if (a.result === "partial") clean.points = a.points || 0;
        ["note", "measure", "owner", "due"].forEach(function (f) { if (a[f]) clean[f] = a[f]; });
        out.answers[key] = clean;
      });
      var blob = new Blob([JSON.stringify(out, null, 2) + "\n"], {type: "application/json"});
      var link = el("a", {href: URL.createObjectURL(blob), download: "self-assessment-" + state.edition + ".json"});
      document.body.appendChild(link);
      link.click();
      link.remove();
    });

    importInput.addEventListener("change", function () {
      var file = importInput.files[0];
      if (!file) return;
      file.text().then(function (text) {
        var incoming = JSON.parse(text);
        if (!incoming || typeof incoming.answers !== "object") throw new Error("answers");
        if (incoming.edition !== data.edition.id) {
          throw new Error(L.import_other_edition.replace("{edition}", incoming.edition)
                          .replace("{current}", data.edition.id));
        }
        var unknown = Object.keys(incoming.answers).filter(function (k) { return !checks[k]; });
        if (unknown.length) throw new Error(unknown.slice(0, 5).join(L.list_sep));
        var answers = {};
        Object.keys(incoming.answers).forEach(function (key) {
          var a = incoming.answers[key];
          if (!a) return;
          if (RESULTS.indexOf(a.result) < 0) throw new Error(key + L.colon + a.result);
          if (a.points != null && !(a.points >= 0 && a.points <= checks[key].points)) {
            throw new Error(key + L.colon + a.points + " > " + checks[key].points);
          }
          answers[key] = a;
        });
        state = {edition: data.edition.id, unit: incoming.unit || "", date: incoming.date || "", answers: answers};
        message.textContent = "";
        showAll();
        saveNow();
      }).catch(function (error) {
        message.textContent = L.import_error + (error && error.message ? error.message : "");
      }).then(function () { importInput.value = ""; });
    });

    printButton.addEventListener("click", function () { window.print(); });
    function startPrint() { buildAll(); showPrintHead(); }
    function endPrint() {
      printing = false;
      parts.forEach(function (part) { near.unobserve(part.node); near.observe(part.node); });  // drop far ones again
    }
    window.addEventListener("beforeprint", startPrint);
    window.addEventListener("afterprint", endPrint);
    // page.pdf() and print previews switch the media without beforeprint in some browsers
    var printMedia = window.matchMedia("print");
    printMedia.addEventListener("change", function () { if (printMedia.matches) startPrint(); else endPrint(); });
    clearButton.addEventListener("click", function () {
      if (!window.confirm(L.clear_confirm)) return;
      state = {edition: data.edition.id, unit: "", date: "", answers: {}};
      showAll();
      saveNow();
    });

    // A screen's height either side is built ahead, so Tab and scrolling reach a chapter already there.
    var near = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) buildPart(entry.target.hbPart);
        else dropPart(entry.target.hbPart);
      });
      box.setAttribute("data-ready", "1");  // the first call has built what is on screen
    }, {rootMargin: "100% 0px"});
    // Tab and Shift+Tab go on into the chapter before or after the focus, even one far from the screen.
    box.addEventListener("focusin", function (event) {
      var before = null, after = null;
      parts.forEach(function (part) {
        var where = event.target.compareDocumentPosition(part.node);
        if (where & Node.DOCUMENT_POSITION_CONTAINS) return;
        if (where & Node.DOCUMENT_POSITION_PRECEDING) before = part;
        else if (where & Node.DOCUMENT_POSITION_FOLLOWING && !after) after = part;
      });
      if (before) buildPart(before);
      if (after) buildPart(after);
    });
    box.addEventListener("focusout", function (event) {  // a chapter kept for its focus goes when it is far
      var node = event.target.closest && event.target.closest(".hb-assess-checks, .hb-assess-findings");
      if (node && !node.contains(event.relatedTarget)) { near.unobserve(node); near.observe(node); }
    });
    showAll();
    parts.forEach(function (part) { near.observe(part.node); });
    if (!parts.length) box.setAttribute("data-ready", "1");
  }

  function start() {
    var box = document.getElementById("hb-assess");
    if (!box || box.getAttribute("data-ready") || !script) return;
    fetch(new URL("../../self-assessment.json", script.src).href)
      .then(function (response) { return response.json(); })
      .then(function (data) { build(box, data); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
