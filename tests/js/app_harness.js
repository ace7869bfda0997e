/* Runs static/app.js against a tiny stand-in for the DOM, history and htmx's push/replace rule, and
   prints what the browser history would hold after each scenario (tests/test_static_app.py). */
"use strict";
const fs = require("fs");
const vm = require("vm");

function run(scenario) {
  const listeners = {};
  const entries = ["http://w.test/quotes"];
  let index = 0;
  const history = {
    pushState(_s, _t, url) { entries.splice(index + 1); entries.push(String(url)); index += 1; },
    replaceState(_s, _t, url) { entries[index] = String(url); },
  };
  const location = { get href() { return entries[index]; }, hash: "" };
  function matches(node, selector) {
    const m = /^(\w+)?(?:\.([\w-]+))?(?:\[([\w-]+)\])?$/.exec(selector);
    return (!m[1] || node.tagName === m[1].toUpperCase()) && (!m[2] || (node.className || "").split(" ").includes(m[2]))
      && (!m[3] || m[3] in node.attrs);
  }
  function el(tag, attrs, parent, className) {
    return {
      tagName: tag, attrs: Object.assign({}, attrs), parent, className, scrolled: null, focused: false,
      hasAttribute(n) { return n in this.attrs; }, getAttribute(n) { return n in this.attrs ? this.attrs[n] : null; },
      setAttribute(n, v) { this.attrs[n] = String(v); }, removeAttribute(n) { delete this.attrs[n]; },
      closest(sel) { for (let n = this; n; n = n.parent) { if (matches(n, sel)) { return n; } } return null; },
      scrollIntoView(opts) { this.scrolled = opts; }, focus() { this.focused = true; },
      hidden: false, errorShown: false,
      querySelector(sel) {
        if (sel === "input[name=q]") { return this.box || null; }
        return sel.startsWith(".field-error") && this.errorShown ? {} : null;
      },
      get classList() {
        const node = this;
        const names = () => (node.className || "").split(" ").filter(Boolean);
        return {
          contains: (n) => names().includes(n),
          add: (n) => { if (!names().includes(n)) { node.className = names().concat([n]).join(" "); } },
          toggle: (n, force) => {
            const on = force === undefined ? !names().includes(n) : force;
            node.className = names().filter((x) => x !== n).concat(on ? [n] : []).join(" ");
            return on;
          },
        };
      },
    };
  }
  const form = el("FORM", { "hx-push-url": "true", "hx-disinherit": "hx-push-url" }, null, "filters");
  const search = el("INPUT", { type: "search", "hx-replace-url": "true" }, form);
  const date = el("INPUT", { type: "date" }, form);
  form.box = search;
  search.value = "";
  const stopped = [];
  const extra = [];
  const sent = [];
  const select = el("SELECT", {}, form);
  const results = el("SECTION", {}, null);
  const pager = el("NAV", {}, null, "pager");
  const older = el("A", { "hx-push-url": "true" }, pager);
  const foldButton = el("BUTTON", { "aria-controls": "filters-form", "aria-expanded": "false" }, null, "filters-button");
  foldButton.hidden = true;
  const document = {
    addEventListener(type, fn) { (listeners[type] = listeners[type] || []).push(fn); },
    querySelector() { return null; },
    querySelectorAll(sel) { return sel === "button.filters-button" ? [foldButton] : []; },
    getElementById(id) { return { results, "filters-form": form }[id] || null; },
  };
  const fire = (type, event) => (listeners[type] || []).forEach((fn) => fn(event));
  function attr(node, name) {  /* htmx's inheritance: the closest value, unless an ancestor disinherits it */
    if (node.hasAttribute(name)) { return node.getAttribute(name); }
    for (let n = node.parent; n; n = n.parent) {
      if ((n.getAttribute("hx-disinherit") || "").split(" ").includes(name)) { return null; }
      if (n.hasAttribute(name)) { return n.getAttribute(name); }
    }
    return null;
  }
  function request(elt, url) {  /* htmx: beforeRequest; a push attribute (even "false") wins over replace */
    let cancelled = false;
    fire("htmx:beforeRequest", { detail: { elt }, preventDefault() { cancelled = true; } });
    if (cancelled) { sent.push("cancelled " + url); return; }
    sent.push(url);
    const push = attr(elt, "hx-push-url");
    const replace = attr(elt, "hx-replace-url");
    if (push !== null) { if (push !== "false") { history.pushState({ htmx: true }, "", url); } }
    else if (replace !== null && replace !== "false") { history.replaceState({ htmx: true }, "", url); }
    fire("htmx:afterSwap", { detail: { requestConfig: { elt } } });
  }
  vm.runInNewContext(fs.readFileSync(process.argv[2], "utf8"),
                     { document, history, location, window: { addEventListener() {} }, navigator: {}, setTimeout });
  const q = (s) => "http://w.test/quotes" + s;
  const steps = {
    typing() {
      for (const text of ["air", "air def", "air defense"]) { search.value = text; request(search, q("?q=" + text.replace(" ", "+"))); }
      request(form, q("?q=air+defense"));  /* Enter: the form's submit */
    },
    enterBeforePause() {  /* Enter before the typing pause ends: the pending typing request is dropped */
      search.value = "air defense";
      request(form, q("?q=air+defense"));
      request(search, q("?q=air+defense"));
    },
    select() {
      fire("keydown", { target: select, key: "ArrowDown" }); request(form, q("?kind=direct"));
      fire("keydown", { target: select, key: "ArrowDown" }); request(form, q("?kind=indirect"));
      fire("keydown", { target: select, key: "ArrowDown" }); request(form, q("?kind=mixed"));
      fire("focusout", { target: select });
      request(form, q("?kind=mixed&from=2024-05-01"));  /* then a date: one more deliberate step */
    },
    pager() { request(older, q("?page=2")); },
    fold() {
      fire("DOMContentLoaded", {});
      const folded = { form: form.className, expanded: foldButton.getAttribute("aria-expanded"), hidden: foldButton.hidden };
      fire("click", { target: foldButton });
      const opened = { form: form.className, expanded: foldButton.getAttribute("aria-expanded") };
      extra.push(folded, opened);
    },
    foldWithError() {
      form.errorShown = true;
      fire("DOMContentLoaded", {});
      extra.push({ form: form.className, expanded: foldButton.getAttribute("aria-expanded") });
    },
    change() {
      for (const target of [search, date, select]) {
        fire("change", { target, stopPropagation() { stopped.push(target.tagName + ":" + (target.attrs.type || "")); } });
      }
    },
  };
  steps[scenario]();
  return { entries: entries.slice(0, index + 1), results: { scrolled: results.scrolled, focused: results.focused },
           stopped, extra, sent };
}
console.log(JSON.stringify(run(process.argv[3])));
