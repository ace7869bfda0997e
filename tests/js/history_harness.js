/* Runs static/app.js against a tiny stand-in for the DOM, history and htmx's push/replace rule, and
   prints what the browser history would hold after each scenario (tests/test_static_history.py). */
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
    };
  }
  const form = el("FORM", { "hx-push-url": "true" }, null, "filters");
  const search = el("INPUT", { type: "search", "hx-push-url": "false", "hx-replace-url": "true" }, form);
  const date = el("INPUT", { type: "date" }, form);
  const stopped = [];
  const select = el("SELECT", {}, form);
  const results = el("SECTION", {}, null);
  const pager = el("NAV", {}, null, "pager");
  const older = el("A", { "hx-push-url": "true" }, pager);
  const document = {
    addEventListener(type, fn) { (listeners[type] = listeners[type] || []).push(fn); },
    querySelector() { return null; }, querySelectorAll() { return []; },
    getElementById(id) { return id === "results" ? results : null; },
  };
  const fire = (type, event) => (listeners[type] || []).forEach((fn) => fn(event));
  function attr(node, name) { for (let n = node; n; n = n.parent) { if (n.hasAttribute(name)) { return n.getAttribute(name); } } return null; }
  function request(elt, url) {  /* htmx: beforeRequest, then push wins over replace, as htmx decides */
    fire("htmx:beforeRequest", { detail: { elt } });
    if (attr(elt, "hx-push-url") === "true") { history.pushState({ htmx: true }, "", url); }
    else if (attr(elt, "hx-replace-url") === "true") { history.replaceState({ htmx: true }, "", url); }
    fire("htmx:afterSwap", { detail: { requestConfig: { elt } } });
  }
  vm.runInNewContext(fs.readFileSync(process.argv[2], "utf8"),
                     { document, history, location, window: { addEventListener() {} }, navigator: {}, setTimeout });
  const q = (s) => "http://w.test/quotes" + s;
  const steps = {
    typing() {
      request(search, q("?q=air")); request(search, q("?q=air+def")); request(search, q("?q=air+defense"));
      request(form, q("?q=air+defense"));  /* Enter: the form's submit */
    },
    select() {
      fire("keydown", { target: select, key: "ArrowDown" }); request(form, q("?kind=direct"));
      fire("keydown", { target: select, key: "ArrowDown" }); request(form, q("?kind=indirect"));
      fire("keydown", { target: select, key: "ArrowDown" }); request(form, q("?kind=mixed"));
      fire("focusout", { target: select });
      request(form, q("?kind=mixed&from=2024-05-01"));  /* then a date: one more deliberate step */
    },
    pager() { request(older, q("?page=2")); },
    change() {
      for (const target of [search, date, select]) {
        fire("change", { target, stopPropagation() { stopped.push(target.tagName + ":" + (target.attrs.type || "")); } });
      }
    },
  };
  steps[scenario]();
  return { entries: entries.slice(0, index + 1), results: { scrolled: results.scrolled, focused: results.focused },
           stopped };
}
console.log(JSON.stringify(run(process.argv[3])));
