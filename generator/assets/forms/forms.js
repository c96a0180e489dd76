/* Printable forms in the site: the print button, and telling a scanned paper form whether it is
   the version in force. The QR code on a printed form opens forms/<slug>/?v=<fingerprint>; the
   page shows its current fingerprint in .hb-form-fingerprint, so the two can be compared.
   No inline handlers or data attributes: the page passes the site's HTML sanitiser and a strict
   Content-Security-Policy, and works with Material's instant navigation. */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var target = event.target;
    var button = target && target.closest ? target.closest(".hb-form-print") : null;
    if (button) {
      event.preventDefault();
      window.print();
    }
  });

  function checkScannedVersion() {
    var shown = document.querySelector(".hb-form .hb-form-fingerprint");
    var current = document.querySelector(".hb-form-version.hb-form-current");
    var outdated = document.querySelector(".hb-form-version.hb-form-outdated");
    if (!shown || !current || !outdated || !window.URLSearchParams) {
      return;
    }
    var scanned = new URLSearchParams(window.location.search).get("v");
    var same = scanned !== null && scanned === shown.textContent.trim();
    current.classList.toggle("hb-show", scanned !== null && same);
    outdated.classList.toggle("hb-show", scanned !== null && !same);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(checkScannedVersion);  // Material: runs on every (instant) page load
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", checkScannedVersion);
  } else {
    checkScannedVersion();
  }
})();
