// Signpost's enhancements. Every page works without them: the exit link is a plain link, the
// hours are printed, and the crisis block shows the default country with links to the others.
// Loaded as a blocking script in <head>: choosing the crisis block's country happens before the
// first paint (so nothing moves after it, CLS 0); everything else waits for the DOM.
(function () {
  "use strict";
  var COUNTRY_KEY = "signpost-country";
  // As in GOV.UK's component: up to 5 s between one Shift press and the next.
  var EXIT_GAP_MS = 5000, EXIT_PRESSES = 3;
  var root = document.documentElement;
  root.classList.add("js");

  // The page's words (strings.js, on pages not in the default language); else the English ones.
  var text = window.signpostText;
  function t(words, values) {
    return text ? text.t(words, values) : words.replace(/\{(\w+)\}/g, function (all, key) { return values[key]; });
  }

  // localStorage only after the visitor ticks "remember"; unticking forgets at once.
  function store(code) {
    try { if (code === null) localStorage.removeItem(COUNTRY_KEY); else localStorage.setItem(COUNTRY_KEY, code); }
    catch (error) { /* storage refused (private mode): choosing still works for this visit */ }
  }

  function remembered() {
    try { return localStorage.getItem(COUNTRY_KEY); } catch (error) { return null; }
  }

  // The remembered country, else the browser's own language setting (en-GB → GB); nothing
  // leaves the device. "" when neither names a country the block lists.
  function chooseCountry(codes) {
    var saved = remembered();
    if (saved !== null && codes.indexOf(saved) >= 0) return saved;
    var langs = navigator.languages || [navigator.language || ""];
    for (var i = 0; i < langs.length; i++) {
      var region = (langs[i].split("-")[1] || "").toUpperCase();
      if (region && codes.indexOf(region) >= 0) return region;
    }
    return "";
  }

  // Before the first paint the country blocks are not parsed yet, so a style rule shows the chosen
  // one; once they are, their `hidden` attributes take over and the rule is dropped. A
  // constructed stylesheet, since the CSP refuses inline styles.
  function showEarly(code) {
    var rule = code ? '[data-country]:not([data-country="' + code + '"]){display:none!important}' +
      '[data-country="' + code + '"]{display:block!important}' : "[data-country]{display:none!important}";
    try {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(rule);
      document.adoptedStyleSheets = document.adoptedStyleSheets.concat(sheet);
      return function () {
        document.adoptedStyleSheets = document.adoptedStyleSheets.filter(function (s) { return s !== sheet; });
      };
    } catch (error) { return function () {}; }  // an old browser: the default country shows
  }

  var codes = (root.getAttribute("data-countries") || "").split(" ").filter(Boolean);
  var chosen = codes.length ? chooseCountry(codes) : "";
  var dropEarlyRule = codes.length ? showEarly(chosen) : function () {};

  function setUpCountryPicker() {
    var picker = document.querySelector("[data-country-picker]");
    if (!picker) return;
    var select = picker.querySelector("select"), remember = picker.querySelector("input[type=checkbox]");
    var places = document.querySelectorAll("[data-country]");
    var show = function () {
      places.forEach(function (place) { place.hidden = place.getAttribute("data-country") !== select.value; });
      if (remember.checked) store(select.value);
    };
    remember.checked = remembered() !== null;
    select.value = chosen;
    select.addEventListener("change", show);
    remember.addEventListener("change", function () { store(remember.checked ? select.value : null); });
    show();
    dropEarlyRule();
  }

  // Exit this page, after GOV.UK's component: blank the page at once, then replace (not push) it
  // in history so Back cannot return here. Shift pressed on its own EXIT_PRESSES times, with up to
  // EXIT_GAP_MS between presses, does the same; a polite status says how many presses remain.
  function setUpExit() {
    var link = document.querySelector("[data-exit]"), status = document.querySelector("[data-exit-status]");
    if (!link) return;
    var count = 0, last = 0, modified = false, expiry = null;
    var say = function (text) { if (status) status.textContent = text; };
    var leave = function () {
      root.classList.add("exiting");
      say("");
      location.replace(link.href);
    };
    link.addEventListener("click", function (event) { event.preventDefault(); leave(); });
    // keyup, as GOV.UK does: Shift used as a modifier (Shift+A) ends with a keyup of A that has
    // shiftKey set, and the Shift keyup after it is not counted.
    document.addEventListener("keyup", function (event) {
      var now = Date.now();
      if (event.key === "Shift" && !modified) {
        count = now - last <= EXIT_GAP_MS ? count + 1 : 1;
        last = now;
        clearTimeout(expiry);
        if (count >= EXIT_PRESSES) { count = 0; leave(); return; }
        var left = EXIT_PRESSES - count;
        say(left > 1 ? t("Shift, press {left} more times to exit.", {left: left}) : t("Shift, press 1 more time to exit."));
        expiry = setTimeout(function () { count = 0; say(t("Exit this page expired.")); }, EXIT_GAP_MS);
      } else if (event.key !== "Shift" && count) {
        count = 0;
        clearTimeout(expiry);
        say("");
      }
      modified = event.shiftKey;
    }, true);
    // Coming Back to a page kept in the back/forward cache must not find it blank.
    window.addEventListener("pageshow", function () { root.classList.remove("exiting"); count = 0; say(""); });
  }

  // The home page's search box: the query goes into the search page's fragment, which no
  // request carries (issue 13); the form alone, without this, opens the search page's links.
  function setUpSearchBox() {
    var box = document.querySelector("form[data-search-box]");
    if (!box) return;
    box.addEventListener("submit", function (event) {
      var q = box.querySelector("input").value.trim();
      event.preventDefault();
      location.href = box.getAttribute("action") + (q ? "#q=" + encodeURIComponent(q) : "");
    });
  }

  function registerWorker() {
    var body = document.body;
    if (!("serviceWorker" in navigator) || !body.getAttribute("data-worker")) return;
    navigator.serviceWorker.register(body.getAttribute("data-worker"), {scope: body.getAttribute("data-root")})
      .catch(function () { /* offline copies are a bonus; the site works without them */ });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpExit();
    setUpCountryPicker();
    setUpSearchBox();
    registerWorker();
  });
}());
