// "Open now" from a contact's hours, in the service's own time zone, with its closures and extra
// openings. Loaded only by the pages that show hours (entry pages and search), so the home page
// does not carry it (issue 14: home within 30 KB). The printed hours are right without it.
(function () {
  "use strict";
  var DAY = 1440, WEEK = 7 * DAY;

  // The service's own local time: minutes since Monday 00:00, the date (YYYY-MM-DD), the day before.
  function localTime(timeZone, date) {
    var parts = {};
    new Intl.DateTimeFormat("en-GB", {timeZone: timeZone, year: "numeric", month: "2-digit", day: "2-digit",
      weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23"}).formatToParts(date)
      .forEach(function (p) { parts[p.type] = p.value; });
    var day = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(parts.weekday);
    var minute = Number(parts.hour) * 60 + Number(parts.minute);
    var before = new Date(Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day) - 1));
    return {week: day * DAY + minute, minute: minute, date: parts.year + "-" + parts.month + "-" + parts.day,
      yesterday: before.toISOString().slice(0, 10)};
  }

  function weekMinute(timeZone, date) { return localTime(timeZone, date).week; }

  // schedule: [[weekday, open, close], ...]; a close at or before open runs into the next day,
  // and Sunday night runs into Monday, hence the second test a week later.
  function isOpen(schedule, now) {
    return schedule.some(function (s) {
      var start = s[0] * DAY + s[1], end = s[0] * DAY + (s[2] > s[1] ? s[2] : s[2] + DAY);
      return (now >= start && now < end) || (now + WEEK >= start && now + WEEK < end);
    });
  }

  // closed: [[first, last], ...] dates closed all day; extra: [[date, open, close], ...] openings
  // on those dates (counted even on a closed day; a close at or before open runs past midnight).
  function isOpenOn(hours, closed, extra, local) {
    var extraOpen = extra.some(function (x) {
      var overnight = x[2] <= x[1];
      return (x[0] === local.date && local.minute >= x[1] && (overnight || local.minute < x[2])) ||
        (overnight && x[0] === local.yesterday && local.minute < x[2]);
    });
    var closedToday = closed.some(function (c) { return c[0] <= local.date && local.date <= c[1]; });
    return extraOpen || (!closedToday && (hours === "always" || isOpen(hours, local.week)));
  }

  function setUpOpenNow() {
    var date = new Date();
    document.querySelectorAll("[data-hours]").forEach(function (item) {
      var raw = item.getAttribute("data-hours"), open;
      try {
        var closed = JSON.parse(item.getAttribute("data-closed") || "[]");
        var extra = JSON.parse(item.getAttribute("data-extra") || "[]");
        var zone = item.getAttribute("data-tz");
        open = !zone ? raw === "always" : isOpenOn(raw === "always" ? raw : JSON.parse(raw), closed, extra, localTime(zone, date));
      } catch (error) { return; }  // an unknown zone: the printed hours still say it all
      var unconfirmed = item.hasAttribute("data-unconfirmed");
      var badge = document.createElement("span");
      badge.className = "badge " + (open ? "badge-open" : "badge-closed") + (unconfirmed ? " badge-unconfirmed" : "");
      // An entry past its review date: its hours may be out of date, so the badge says so.
      badge.textContent = unconfirmed ? (open ? t("Open now (hours unconfirmed)") : t("Closed now (hours unconfirmed)"))
        : (open ? t("Open now") : t("Closed now"));
      item.querySelector(".contact-action").appendChild(badge);
    });
  }

  // The page's words (site.js loads them, assets/strings/<lang>.json); English until they come.
  var text = window.signpostText;
  function t(words) { return text ? text.t(words) : words; }
  document.addEventListener("DOMContentLoaded", function () { (text ? text.ready : Promise.resolve()).then(setUpOpenNow); });
  // search.js draws its cards' badges with these, so a card and an entry page agree.
  window.signpostHours = {isOpen: isOpen, isOpenOn: isOpenOn, localTime: localTime, weekMinute: weekMinute};
}());
