// Filters for the overview table: one <select> per listed column, built from the cells.
// Vendored, no dependencies; works offline and with Material's instant loading.
(function () {
  function setup(box) {
    if (box.dataset.ready) return;
    box.dataset.ready = "1";
    var table = box.querySelector("table");
    if (!table) return;
    var heads = table.querySelectorAll("thead th");
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    var columns = box.dataset.filterColumns.split(",").map(Number);
    // A cell may list several values (two roles): split it with the handbook's own separator.
    var sep = (box.dataset.listSep || ",").trim() || ",";
    function values(cell) {
      return cell.textContent.split(sep).map(function (v) { return v.trim(); }).filter(Boolean);
    }
    var bar = document.createElement("div");
    bar.className = "hb-filters";
    var count = document.createElement("span");
    var selects = columns.map(function (col) {
      var label = document.createElement("label");
      label.textContent = heads[col].textContent;
      var select = document.createElement("select");
      select.dataset.column = col;
      var all = document.createElement("option");
      all.value = "";
      all.textContent = box.dataset.labelAll;
      select.appendChild(all);
      var options = [];
      rows.forEach(function (row) {
        values(row.cells[col]).forEach(function (value) {
          if (options.indexOf(value) < 0) options.push(value);
        });
      });
      options.forEach(function (value) {
        var option = document.createElement("option");
        option.value = option.textContent = value;
        select.appendChild(option);
      });
      select.addEventListener("change", apply);
      label.appendChild(select);
      bar.appendChild(label);
      return select;
    });
    var reset = document.createElement("button");
    reset.type = "button";
    reset.textContent = box.dataset.labelReset;
    reset.addEventListener("click", function () {
      selects.forEach(function (s) { s.value = ""; });
      apply();
    });
    bar.appendChild(reset);
    bar.appendChild(count);
    box.insertBefore(bar, box.firstChild);

    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var visible = selects.every(function (select) {
          if (!select.value) return true;
          return values(row.cells[Number(select.dataset.column)]).indexOf(select.value) >= 0;
        });
        row.hidden = !visible;
        if (visible) shown++;
      });
      count.textContent = shown + " " + box.dataset.labelCount;
    }
    apply();
  }
  // A link to the same page in another edition keeps the reader at the same standard.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.hb-keep-hash");
    if (link && location.hash) {
      event.preventDefault();
      location.href = link.href + location.hash;
    }
  });
  // An anchor naming a standard this page no longer holds (an old edition's banner, an old bookmark):
  // forwarding.json, written with the revision pages, says where it moved, or where its removal is told.
  function forward() {
    var id = decodeURIComponent(location.hash.slice(1));
    var config = document.getElementById("__config");
    if (!id || document.getElementById(id) || !config || !window.fetch) return;
    var root = new URL(JSON.parse(config.textContent).base + "/", location.href);
    fetch(new URL("forwarding.json", root)).then(function (response) {
      return response.ok ? response.json() : {};
    }).then(function (targets) {
      if (Object.prototype.hasOwnProperty.call(targets, id)) location.replace(new URL(targets[id], root).href);
    }).catch(function () {});
  }
  forward();
  window.addEventListener("hashchange", forward);
  // A search dialog, whichever engine fills it: the button and `/` open it; a click on the backdrop or
  // on a result (it may be on this very page) closes it. search.js (`search: handbook`) uses it too.
  window.hbSearchDialog = function (button, dialog, open) {
    button.addEventListener("click", open);
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog || (event.target.closest && event.target.closest("a"))) dialog.close();
    });
    document.addEventListener("keydown", function (event) {
      var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
      if (event.key === "/" && !typing && !dialog.open) {
        event.preventDefault();
        open();
      }
    });
  };
  // `search: pagefind` (partials/pagefind.html): a header button opening Pagefind's UI in a dialog.
  function setupSearch(button) {
    var dialog = document.querySelector("dialog.hb-search");
    if (button.dataset.ready || !dialog || !dialog.showModal || !window.PagefindUI) return;
    button.dataset.ready = "1";
    var header = document.querySelector(".md-header__inner");
    if (header) header.insertBefore(button, header.querySelector(".md-header__source"));  // where Material's goes
    button.hidden = false;
    var ui = null;
    function open() {
      // Pagefind finds its bundle beside pagefind-ui.js, so this works in a sub-folder (/2025/) too.
      if (!ui) ui = new window.PagefindUI({ element: dialog.querySelector(".hb-search__ui"), showSubResults: true,
                                            showImages: false, resetStyles: false });
      if (!dialog.open) dialog.showModal();
      var input = dialog.querySelector("input");
      if (input) input.focus();
    }
    window.hbSearchDialog(button, dialog, open);
  }
  // A box that scrolls sideways (a wide table on a phone) must be reachable by keyboard.
  function focusScrollers() {
    document.querySelectorAll(".md-typeset__scrollwrap, .hb-scroll, .hb-form-sheet").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth) box.tabIndex = 0;
      else box.removeAttribute("tabindex");
    });
  }
  // Material names the version button "select version", unlike the edition it shows: the name
  // a screen reader speaks starts with the text a sighted reader sees.
  function nameVersionButton() {
    var button = document.querySelector(".md-version__current");
    if (!button || button.dataset.named) return;
    button.dataset.named = "1";
    var label = button.getAttribute("aria-label");
    button.setAttribute("aria-label", button.textContent.trim() + (label ? " · " + label : ""));
  }
  var header = document.querySelector(".md-header");
  if (header && window.MutationObserver) {
    new MutationObserver(nameVersionButton).observe(header, { childList: true, subtree: true });
  }
  function init() {
    focusScrollers();
    nameVersionButton();
    document.querySelectorAll(".hb-overview").forEach(setup);
    document.querySelectorAll("[data-hb-search]").forEach(setupSearch);
  }
  window.addEventListener("resize", focusScrollers);
  if (window.document$) window.document$.subscribe(init);
  else document.addEventListener("DOMContentLoaded", init);
})();
