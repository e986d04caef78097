// Signpost's enhancements. Every page works without them: the exit link is a plain link, the
// hours are printed, and every country's numbers are listed.
(function () {
  "use strict";
  var DAY = 1440, WEEK = 7 * DAY, EXIT_WINDOW_MS = 1000, COUNTRY_KEY = "signpost-country";

  // Exit this page: replace (not push) so Back cannot return here (after GOV.UK's component).
  function setUpExit() {
    var link = document.querySelector("[data-exit]");
    if (!link) return;
    var presses = [];
    var leave = function () {
      document.documentElement.classList.add("exiting");
      location.replace(link.href);
    };
    link.addEventListener("click", function (event) { event.preventDefault(); leave(); });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Shift") { presses = []; return; }
      if (event.repeat) return;
      var now = Date.now();
      presses = presses.filter(function (t) { return now - t < EXIT_WINDOW_MS; }).concat(now);
      if (presses.length >= 3) leave();
    });
    // Coming Back to a page kept in the back/forward cache must not find it blank.
    window.addEventListener("pageshow", function () { document.documentElement.classList.remove("exiting"); });
    var hint = document.querySelector("[data-exit-hint]");
    if (hint) hint.hidden = false;
  }

  // Minutes since Monday 00:00 in the service's own time zone.
  function weekMinute(timeZone, date) {
    var parts = {};
    new Intl.DateTimeFormat("en-GB", {timeZone: timeZone, weekday: "short", hour: "2-digit",
      minute: "2-digit", hourCycle: "h23"}).formatToParts(date).forEach(function (p) { parts[p.type] = p.value; });
    var day = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(parts.weekday);
    return day * DAY + Number(parts.hour) * 60 + Number(parts.minute);
  }

  // schedule: [[weekday, open, close], ...]; a close at or before open runs into the next day,
  // and Sunday night runs into Monday, hence the second test a week later.
  function isOpen(schedule, now) {
    return schedule.some(function (s) {
      var start = s[0] * DAY + s[1], end = s[0] * DAY + (s[2] > s[1] ? s[2] : s[2] + DAY);
      return (now >= start && now < end) || (now + WEEK >= start && now + WEEK < end);
    });
  }

  function setUpOpenNow() {
    var date = new Date();
    document.querySelectorAll("[data-hours]").forEach(function (item) {
      var raw = item.getAttribute("data-hours"), open;
      try {
        open = raw === "always" || isOpen(JSON.parse(raw), weekMinute(item.getAttribute("data-tz"), date));
      } catch (error) { return; }  // an unknown zone: the printed hours still say it all
      var badge = document.createElement("span");
      badge.className = "badge " + (open ? "badge-open" : "badge-closed");
      badge.textContent = open ? "Open now" : "Closed now";
      item.querySelector(".contact-action").appendChild(badge);
    });
  }

  // localStorage only after the visitor ticks "remember"; unticking forgets at once.
  function store(code) {
    try { if (code === null) localStorage.removeItem(COUNTRY_KEY); else localStorage.setItem(COUNTRY_KEY, code); }
    catch (error) { /* storage refused (private mode): choosing still works for this visit */ }
  }

  function remembered() {
    try { return localStorage.getItem(COUNTRY_KEY); } catch (error) { return null; }
  }

  // The browser's own language setting (en-GB → GB) as a first guess; nothing leaves the device.
  function guessCountry(select) {
    var langs = navigator.languages || [navigator.language || ""];
    for (var i = 0; i < langs.length; i++) {
      var region = (langs[i].split("-")[1] || "").toUpperCase();
      if (region && select.querySelector('option[value="' + region + '"]')) return region;
    }
    return "";
  }

  function setUpCountryPicker() {
    var picker = document.querySelector("[data-country-picker]");
    if (!picker) return;
    var select = picker.querySelector("select"), remember = picker.querySelector("input[type=checkbox]");
    var places = document.querySelectorAll("[data-country]");
    var show = function () {
      places.forEach(function (place) { place.hidden = select.value !== "" && place.getAttribute("data-country") !== select.value; });
      if (remember.checked) store(select.value);
    };
    var saved = remembered();
    remember.checked = saved !== null;
    select.value = saved !== null && select.querySelector('option[value="' + saved + '"]') ? saved : guessCountry(select);
    select.addEventListener("change", show);
    remember.addEventListener("change", function () { store(remember.checked ? select.value : null); });
    picker.hidden = false;
    show();
  }

  function registerWorker() {
    var body = document.body;
    if (!("serviceWorker" in navigator) || !body.getAttribute("data-worker")) return;
    navigator.serviceWorker.register(body.getAttribute("data-worker"), {scope: body.getAttribute("data-root")})
      .catch(function () { /* offline copies are a bonus; the site works without them */ });
  }

  setUpExit();
  setUpOpenNow();
  setUpCountryPicker();
  registerWorker();
  window.signpostHours = {isOpen: isOpen, weekMinute: weekMinute};
}());
