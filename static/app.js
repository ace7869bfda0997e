/* Whosaid: small progressive enhancements; every page works without this file. */
(function () {
  "use strict";

  /* Copy buttons: <button class="copy" data-copy-from="input-id"> (keyboard: it is a real button). */
  function status(button, text) {
    var box = button.closest("section, form, div");
    var live = document.querySelector(".copy-status");
    if (live) { live.textContent = text; }
    var old = button.textContent;
    button.textContent = text;
    setTimeout(function () { button.textContent = old; }, 1600);
  }
  function fallbackCopy(field) {
    field.focus();
    field.select();
    try { return document.execCommand("copy"); } catch (e) { return false; }
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.copy");
    if (!button) { return; }
    var field = document.getElementById(button.getAttribute("data-copy-from"));
    if (!field) { return; }
    var text = field.value;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { status(button, "Copied"); },
        function () { status(button, fallbackCopy(field) ? "Copied" : "Select and copy"); });
    } else {
      status(button, fallbackCopy(field) ? "Copied" : "Select and copy");
    }
  });

  /* The quote targeted by #q-…: emphasise every part of it and bring it into view. */
  function showTarget() {
    var hash = decodeURIComponent(location.hash || "").slice(1);
    document.querySelectorAll("mark.is-target").forEach(function (m) { m.classList.remove("is-target"); });
    if (hash.indexOf("q-") !== 0) { return; }
    var first = document.getElementById(hash);
    if (!first) { return; }
    var uid = hash.slice(2);
    document.querySelectorAll("mark[data-q]").forEach(function (m) {
      if (m.getAttribute("data-q") === uid) { m.classList.add("is-target"); }
    });
    first.scrollIntoView({ block: "center" });
  }
  window.addEventListener("hashchange", showTarget);
  document.addEventListener("DOMContentLoaded", showTarget);

  /* Leave empty filter fields out of htmx GETs, so the pushed URL shows only real filters. */
  document.addEventListener("htmx:configRequest", function (event) {
    var params = event.detail.parameters;
    if (!params || event.detail.verb !== "get") { return; }
    Object.keys(params).forEach(function (key) {
      var value = params[key];
      if (value === "" || value === null || (Array.isArray(value) && value.every(function (v) { return v === ""; }))) {
        delete params[key];
      }
    });
  });
})();
