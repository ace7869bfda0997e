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

  /* History: typing in a filter field replaces the URL (hx-replace-url); a committed change pushes one
     entry. The entry the reader was on before typing began is put back first, so each Back undoes
     one deliberate step instead of landing on "air", "air def", … */
  var typingFrom = null;
  var committedText = null;  /* the search text of the last committed (pushed) request */
  /* The search box's own "change" (on Enter or blur) must not trigger the form a second time: Enter
     is the form's submit, once. Stopped while capturing, before htmx on the form sees it. */
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field && field.closest && field.closest("form.filters") && field.getAttribute("type") === "search") {
      event.stopPropagation();
    }
  }, true);
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    if (!elt || !elt.closest || !elt.closest("form.filters")) { return; }
    if (elt.tagName === "INPUT" && elt.getAttribute("hx-replace-url") === "true") {
      if (elt.value === committedText) {  /* the typing pause after Enter: the form already asked for it */
        event.preventDefault();
        return;
      }
      if (typingFrom === null) { typingFrom = location.href; }
      return;
    }
    var box = elt.querySelector && elt.querySelector("input[name=q]");
    committedText = box ? box.value : null;
    if (elt.hasAttribute("data-browsing")) { return; }  /* arrow keys on a select: see below */
    if (typingFrom !== null && typingFrom !== location.href) {
      history.replaceState({ htmx: true }, "", typingFrom);
    }
    typingFrom = null;
  });

  /* A pager click lands at the top of the new page of results, with focus there for keyboard users. */
  document.addEventListener("htmx:afterSwap", function (event) {
    var elt = event.detail && event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!elt || !elt.closest || !elt.closest("nav.pager")) { return; }
    var results = document.getElementById("results");
    if (!results) { return; }
    if (!results.hasAttribute("tabindex")) { results.setAttribute("tabindex", "-1"); }
    results.scrollIntoView({ block: "start" });
    results.focus({ preventScroll: true });
  });

  /* Arrow keys on a filter <select> browse: each step replaces the URL; leaving the select commits the
     value shown as one history entry (the entry from before browsing is put back underneath it). */
  var BROWSE_KEYS = ["ArrowUp", "ArrowDown", "Home", "End", "PageUp", "PageDown"];
  document.addEventListener("keydown", function (event) {
    var select = event.target;
    if (!select || select.tagName !== "SELECT" || BROWSE_KEYS.indexOf(event.key) < 0) { return; }
    var form = select.closest("form.filters");
    if (!form || form.hasAttribute("data-browsing")) { return; }
    form.setAttribute("data-browsing", typingFrom === null ? location.href : typingFrom);
    form.removeAttribute("hx-push-url");  /* htmx: a push attribute, even "false", wins over replace */
    form.setAttribute("hx-replace-url", "true");
  });
  document.addEventListener("focusout", function (event) {
    var select = event.target;
    if (!select || select.tagName !== "SELECT") { return; }
    var form = select.closest("form.filters");
    if (!form || !form.hasAttribute("data-browsing")) { return; }
    var from = form.getAttribute("data-browsing");
    typingFrom = null;
    form.removeAttribute("data-browsing");
    form.removeAttribute("hx-replace-url");
    form.setAttribute("hx-push-url", "true");
    if (from !== location.href) {
      var now = location.href;
      history.replaceState({ htmx: true }, "", from);
      history.pushState({ htmx: true }, "", now);
    }
  });

  /* Phones: the filter form folds behind its "Filters" button (CSS hides the button on wide screens).
     A form showing an error starts open. */
  function foldFilters() {
    document.querySelectorAll("button.filters-button").forEach(function (button) {
      var form = document.getElementById(button.getAttribute("aria-controls"));
      if (!form || form.classList.contains("foldable")) { return; }
      var open = !!form.querySelector(".field-error[role=alert]");
      form.classList.add("foldable");
      form.classList.toggle("open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
      button.hidden = false;
    });
  }
  document.addEventListener("DOMContentLoaded", foldFilters);
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.filters-button");
    if (!button) { return; }
    var form = document.getElementById(button.getAttribute("aria-controls"));
    if (!form) { return; }
    var open = !form.classList.contains("open");
    form.classList.toggle("open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();
