// The scripts' words in the page's language: /assets/strings/<lang>.json, written by the build
// (outputs.script_strings). Loaded before site.js, and only on pages not in the default language,
// whose words are the scripts' own. Until the words come, or if they cannot, English is shown.
(function () {
  "use strict";
  var words = {};
  var ready = fetch(document.documentElement.getAttribute("data-strings"))
    .then(function (response) { return response.ok ? response.json() : {}; })
    .then(function (loaded) { words = loaded; }, function () { /* offline: English */ });
  window.signpostText = {ready: ready, t: function (text, values) {
    return (words[text] || text).replace(/\{(\w+)\}/g, function (all, key) { return values[key]; });
  }, forms: function (one) { return words[one] || {}; }};  // a count's forms (search.js's tn)
}());
