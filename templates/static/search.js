// Search and facets on /search/, and the search box on the home page.
// Text index, facets, typo correction and drawing are ours (generator/search.py writes the files
// read here). State lives in the URL: /search/?q=grief&topic=grief&country=gb
"use strict";
(() => {
  const FACET_TITLES = {kind: "Kind of service", topic: "Topic", audience: "Who it is for",
                        country: "Country", language: "Language", cost: "Cost"};
  const PAGE = 10;  // results drawn at once

  // Controls that need JavaScript are hidden in the HTML; show them now, and hide the no-JS note.
  document.querySelectorAll("[data-search-js]").forEach((el) => { el.hidden = false; });
  document.querySelectorAll("[data-search-nojs]").forEach((el) => { el.hidden = true; });
  const form = document.querySelector("form[data-search-page]");
  if (!form) return;  // the home page: its box is a plain GET form to /search/

  const base = form.dataset.base;
  const $ = (id) => document.getElementById(id);
  const input = $("search-q"), facetsBox = $("search-facets"), status = $("search-status");
  const list = $("search-results"), more = $("search-more");
  // Load each file once; forget a failed load so that the next query tries again.
  const once = (make) => { let p; return () => (p ||= make().catch((e) => { p = null; throw e; })); };
  // The same for files that come in parts: each part (key) loaded once.
  const onceEach = (make) => {
    const parts = new Map();
    return (key) => {
      if (!parts.has(key)) parts.set(key, once(() => make(key)));
      return parts.get(key)();
    };
  };

  // ---- Loading, each file only when first needed ----------------------------------------------
  const getText = async (path) => {
    const response = await fetch(base + path);
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    return response.text();
  };

  // facets.json: each facet's values, labels and entry counts (small, drawn before any query), and
  // how the other files are laid out: number of entries, card block size, text index chunks.
  const facetMeta = once(async () => {
    const header = JSON.parse(await getText("search/facets.json"));
    const values = [], totals = [];  // every facet value {facet, key, label}, in code order
    for (const [facet, rows] of header.facets) {
      for (const [key, label, total] of rows) { values.push({facet, key, label}); totals.push(total); }
    }
    return {values, totals, entries: header.entries, block: header.cards, chunks: new Set(header.chunks),
            stopwords: new Set(header.stopwords)};
  });

  // entries.txt: line n holds entry n's facet value codes; grows with the directory, so it is
  // fetched after the first results, or when a filter is ticked.
  const facetIndex = once(async () => {
    const [meta, text] = await Promise.all([facetMeta(), getText("search/entries.txt")]);
    // Codes of entry n are codes[start[n]] up to codes[start[n + 1]]: flat typed arrays, so a
    // count over 50,000 hits is one tight loop.
    const start = new Uint32Array(meta.entries + 1), codes = new Uint16Array(text.length);
    let end = 0, n = 0;
    for (const ch of text) {
      if (ch === "\n") { start[++n] = end; continue; }
      codes[end++] = decode(ch);
    }
    return {values: meta.values, codes, start, all: Uint32Array.from({length: meta.entries}, (_, i) => i)};
  });
  const decode = (ch) => { const c = ch.codePointAt(0); return c >= 0x100 ? c - 0x100 + 94 : c - 0x21; };

  const words = once(async () => (await getText("search/words.txt")).split("\n").filter(Boolean));
  // names.txt: per entry, the number of words in its name, as one character.
  const nameLengths = once(async () => Uint8Array.from(await getText("search/names.txt"), decode));

  // The text index, one chunk per two-letter prefix: sorted lines "word name-postings other-postings".
  const chunk = onceEach((key) => getText(`search/index/${key}.txt`).then((text) => text.split("\n").filter(Boolean)));

  // Cards, in blocks of consecutive entries: [url, name, kind, summary, action, contact, href].
  const cardBlock = onceEach((b) => getText(`search/cards/${b}.json`).then(JSON.parse));
  async function cardOf(n) {
    const {block} = await facetMeta();
    return (await cardBlock(Math.floor(n / block)))[n % block];
  }

  // ---- State <-> URL and form -------------------------------------------------------------------
  function readURL() {
    const params = new URLSearchParams(location.search);
    const selected = {};
    for (const facet of Object.keys(FACET_TITLES)) selected[facet] = new Set(params.getAll(facet).map((v) => v.toLowerCase()));  // keys are lower case
    return {q: (params.get("q") || "").trim(), selected};
  }
  function readForm() {
    const selected = {};
    for (const facet of Object.keys(FACET_TITLES)) {
      selected[facet] = new Set(Array.from(form.querySelectorAll(`input[name="${facet}"]:checked`), (box) => box.value));
    }
    return {q: input.value.trim(), selected};
  }
  function toURL(state) {
    const params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    for (const [facet, keys] of Object.entries(state.selected)) for (const key of [...keys].sort()) params.append(facet, key);
    const query = params.toString();
    return location.pathname + (query ? `?${query}` : "");
  }
  function remember(state, push) {
    const url = toURL(state);
    if (url !== location.pathname + location.search) history[push ? "pushState" : "replaceState"](null, "", url);
  }

  // ---- Text search, with a typo fallback -----------------------------------------------------------
  // Every query word must match (as a word or the start of one); a match in the name counts most.
  // Scoring is one pass over each word's postings and one over the entries: linear in the hits.
  const NAME = 10, OTHER = 1, PREFIX = 0.6;  // a word only begun counts a little less than a whole one
  // As generator/search.py: lower case, accents removed, runs of two or more letters or digits.
  const terms = (q) => q.toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "").match(/[\p{L}\p{N}]{2,}/gu) || [];
  const chunkKey = (word) => Array.from(word).slice(0, 2)
    .map((ch) => (/[a-z0-9]/.test(ch) ? ch : `_${ch.codePointAt(0).toString(16)}`)).join("");

  let lastQuery = null, lastHits = null;
  async function textHits(q) {
    if (q === lastQuery) return lastHits;
    let ordinals = await rank(q), used = q;
    if (ordinals.length === 0) {  // nothing: perhaps a misspelling ("samaratins")
      const corrected = await correct(q);
      if (corrected !== q) { ordinals = await rank(corrected); used = corrected; }
    }
    lastQuery = q;
    lastHits = {ordinals, used};
    return lastHits;
  }

  // The words a query must match: its terms less the index's stopwords ("for", "the"), unless
  // that leaves none ("for" typed alone may begin "forum").
  function required(q, meta) {
    const words = [...new Set(terms(q))], kept = words.filter((word) => !meta.stopwords.has(word));
    return kept.length > 0 ? kept : words;
  }

  // The entries that match every word, best first; ties in A–Z order.
  async function rank(q) {
    const meta = await facetMeta(), words = required(q, meta);
    if (words.length === 0) return [];
    const [lengths, ...perWord] = await Promise.all([nameLengths(), ...words.map((w) => wordScores(w, meta))]);
    // Only the entries found for the rarest word can match them all: the work follows the hits,
    // not the size of the directory.
    const rarest = perWord.reduce((a, b) => (b.found.length < a.found.length ? b : a));
    const N = meta.entries, keys = [];
    entries: for (const n of rarest.found) {
      let score = 0, inName = 0;
      for (const {scores} of perWord) {
        const s = scores[n];
        if (s === 0) continue entries;
        score += s;
        if (s >= NAME * PREFIX) inName++;
      }
      // A name made of the query's words and little else comes first: "Kids Helpline".
      if (inName === perWord.length) score += NAME * inName / Math.max(lengths[n], inName);
      keys.push(Math.round(1e4 - score * 10) * N + n);  // sorts by score, then entry number
    }
    return Uint32Array.from(Float64Array.from(keys).sort(), (key) => key % N);
  }

  // Per entry, the best score of any index word that starts with `word`, or with its stem (0: none),
  // and the entries found, each once.
  async function wordScores(word, meta) {
    const matches = {scores: new Float32Array(meta.entries), found: []}, key = chunkKey(word), start = stem(word);
    if (!meta.chunks.has(key)) return matches;
    const lines = await chunk(key);
    for (let i = firstAtLeast(lines, start); i < lines.length && lines[i].startsWith(start); i++) {
      const [indexed, inName, other] = lines[i].split(" ");
      const whole = indexed === word ? 1 : PREFIX;
      addPostings(matches, inName, NAME * whole);
      addPostings(matches, other, OTHER * whole);
    }
    return matches;
  }

  // A light stem, so that "suicide" finds "suicidal" and "helplines" "helpline": an ending
  // dropped from words of five letters or more, keeping at least four.
  const stem = (word) => (word.length < 5 ? word : word.replace(/(?<=.{4})(ing|ed|es|e|s|al|ly)$/u, ""));

  function firstAtLeast(lines, word) {
    let lo = 0, hi = lines.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (lines[mid] < word) lo = mid + 1; else hi = mid; }
    return lo;
  }

  // Postings are entry numbers as base-36 gaps: "3,1,10" is entries 3, 4 and 40.
  function addPostings({scores, found}, postings, weight) {
    if (!postings) return;
    let n = 0, gap = 0;
    for (let i = 0; i <= postings.length; i++) {
      const c = i < postings.length ? postings.charCodeAt(i) : 44;
      if (c !== 44) { gap = gap * 36 + (c <= 57 ? c - 48 : c - 87); continue; }
      n += gap; gap = 0;
      if (scores[n] === 0) found.push(n);
      if (scores[n] < weight) scores[n] = weight;
    }
  }

  // Each word that is no prefix of a known word becomes the nearest known word, if near enough.
  async function correct(q) {
    const known = await words();
    const fixed = q.toLowerCase().split(/\s+/).map((word) => {
      if (word.length < 4 || known.some((k) => k.startsWith(word))) return word;
      const limit = word.length >= 7 ? 2 : 1;
      let best = word, bestDistance = limit + 1;
      for (const k of known) {
        if (Math.abs(k.length - word.length) > limit) continue;
        const d = distance(word, k, limit);
        if (d < bestDistance) { best = k; bestDistance = d; }
      }
      return best;
    });
    return fixed.join(" ");
  }

  // Damerau–Levenshtein (optimal string alignment) distance, giving up above `limit`.
  function distance(a, b, limit) {
    let prev2 = null, prev = Array.from({length: b.length + 1}, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const row = [i];
      let rowMin = i;
      for (let j = 1; j <= b.length; j++) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j], prev2[j - 2] + 1);
        rowMin = Math.min(rowMin, row[j]);
      }
      if (rowMin > limit) return limit + 1;
      prev2 = prev; prev = row;
    }
    return prev[b.length];
  }

  // ---- Facets: filter the hits and count each value ---------------------------------------------
  const anySelected = (state) => Object.values(state.selected).some((keys) => keys.size > 0);

  // Values combine with OR within a facet and AND across facets. Each facet's counts ignore its
  // own selection, so they say what ticking one more box would give.
  function narrow(index, ordinals, state) {
    const names = Object.keys(FACET_TITLES);
    const bitOf = index.values.map((v) => 1 << names.indexOf(v.facet));  // one bit per facet
    const chosen = index.values.map((v) => state.selected[v.facet].has(v.key));
    const active = names.reduce((mask, f, i) => (state.selected[f].size ? mask | (1 << i) : mask), 0);
    const counts = new Uint32Array(index.values.length);
    const kept = [];
    const {codes, start} = index;
    for (const n of ordinals) {
      let met = 0;
      for (let i = start[n]; i < start[n + 1]; i++) if (chosen[codes[i]]) met |= bitOf[codes[i]];
      const failing = active & ~met;  // the facets whose selection this entry misses
      if (failing === 0) {
        kept.push(n);
        for (let i = start[n]; i < start[n + 1]; i++) counts[codes[i]]++;
      } else if ((failing & (failing - 1)) === 0) {  // misses just one: counts for that facet's values
        for (let i = start[n]; i < start[n + 1]; i++) if (bitOf[codes[i]] === failing) counts[codes[i]]++;
      }
    }
    return {kept, counts};
  }

  function drawFacets(values, counts, state) {
    if (!facetsBox.firstChild) buildFacets(values);
    values.forEach((v, c) => {
      const box = $(`facet-${c}`);
      box.checked = state.selected[v.facet].has(v.key);
      box.parentElement.lastChild.textContent = ` (${counts[c]})`;
    });
  }

  function buildFacets(values) {
    for (const facet of Object.keys(FACET_TITLES)) {
      // Collapsed by default (there may be sixty countries); the summary names the group.
      const details = el("details", {className: "facet"});
      const fieldset = el("fieldset");
      fieldset.setAttribute("aria-labelledby", `facet-title-${facet}`);
      details.append(el("summary", {id: `facet-title-${facet}`, textContent: FACET_TITLES[facet]}), fieldset);
      values.forEach((v, c) => {
        if (v.facet !== facet) return;
        const label = el("label");
        label.append(el("input", {type: "checkbox", name: facet, value: v.key, id: `facet-${c}`}),
                     ` ${v.label}`, el("span", {className: "count"}));
        fieldset.append(label);
      });
      facetsBox.append(details);
    }
  }

  function el(tag, props = {}) { return Object.assign(document.createElement(tag), props); }

  // ---- Results ----------------------------------------------------------------------------------
  let shown = [], shownCount = 0, runs = 0;

  // `push` says how the address takes the new state once the results are drawn: true, a new
  // history entry; false, in place of the current one; undefined, left as it is (going back).
  // If an index file cannot be fetched (offline, say), say so and point at the browse pages.
  function run(state, push) {
    return search(state, push).catch(() => {
      if (push !== undefined) remember(state, push);
      status.textContent = "Search is not available right now. Every service is listed on the pages below.";
      form.dispatchEvent(new CustomEvent("signpost:failed"));  // so a waiting benchmark stops
    });
  }

  async function search(state, push) {
    const run = ++runs, start = performance.now();
    const text = terms(state.q).length > 0;  // a lone letter is no query: it would match everything
    let hits = [], used = state.q;
    if (text) ({ordinals: hits, used} = await textHits(state.q));
    const index = anySelected(state) ? await facetIndex() : null;
    if (run !== runs) return;  // a newer query has started
    let counts = null;
    if (index) ({kept: hits, counts} = narrow(index, text ? hits : index.all, state));
    shown = hits; shownCount = 0; list.replaceChildren();
    const drawn = showMore(state, run);  // its cards are fetched while the facets are drawn
    if (counts) drawFacets(index.values, counts, state);
    await drawn;
    if (run !== runs) return;
    announce(state, text, used, hits.length);
    // The address follows the results: updated first, it kept the browser busy while it fetched
    // the files the results wait for (first results about 15 ms later: median of 20 queries at
    // 50,000 entries, benchmarks/search.py).
    if (push !== undefined) remember(state, push);
    form.dispatchEvent(new CustomEvent("signpost:results", {detail: {count: hits.length, ms: performance.now() - start}}));
    if (!index) countLater(state, run, text);
  }

  // Without filters, counts come after the results, so the first results wait for nothing:
  // the totals for no query, else counted over the query's hits.
  async function countLater(state, run, text) {
    if (!text) {
      const meta = await facetMeta();
      if (run === runs) drawFacets(meta.values, meta.totals, state);
      return;
    }
    const index = await facetIndex();
    if (run !== runs) return;
    const {counts} = narrow(index, lastHits.ordinals, state);
    drawFacets(index.values, counts, state);
  }

  // A page of cards, fetched at once (a block of consecutive entries each, usually one or two
  // blocks) and drawn in rank order as they arrive. "signpost:first" marks the first one drawn
  // (the benchmark times it).
  async function showMore(state, run = runs) {
    const batch = Array.from(shown.slice(shownCount, shownCount + PAGE));
    const firstPage = shownCount === 0;
    shownCount += batch.length;
    const pending = batch.map(cardOf);
    for (const [i, next] of pending.entries()) {
      const data = await next;
      if (run !== runs) return;
      list.append(card(data));
      if (firstPage && i === 0) form.dispatchEvent(new CustomEvent("signpost:first"));
    }
    more.hidden = shownCount >= shown.length;
  }

  function card([url, name, kind, summary, action, contact, href]) {
    const item = el("li", {className: "card"});
    const title = el("h2", {className: "card-title"});
    title.append(el("a", {href: base + url.replace(/^\//, ""), textContent: name}));
    item.append(title, el("p", {className: "card-meta", textContent: kind}), el("p", {textContent: summary}));
    if (contact) item.append(contactLine(action, contact, href));
    return item;
  }

  // The first contact as a real link (tel:, sms:, mailto: or https:), one tap away.
  function contactLine(action, contact, href) {
    const line = el("p", {className: "card-contact"});
    if (!/^(tel:|sms:|mailto:|https:)/.test(href)) {
      line.textContent = `${action}: ${contact}`;
      return line;
    }
    const link = el("a", {href, textContent: contact});
    if (href.startsWith("https:")) link.rel = "noopener noreferrer";
    line.append(`${action}: `, link);
    return line;
  }

  function announce(state, text, used, count) {
    const services = `${count} service${count === 1 ? "" : "s"}`;
    if (!text && !anySelected(state)) {
      status.textContent = state.q ? "Type at least two letters, or choose filters, to find a service."
        : "Type a word, or choose filters, to find a service.";
    } else if (used !== state.q) status.textContent = `No matches for “${state.q}”. ${services} found for “${used}” instead.`;
    else status.textContent = `${services} found.`;
  }

  // ---- Events -----------------------------------------------------------------------------------
  // Put the form in the given state at once; counts follow when the run finishes.
  function show(state, push) {
    input.value = state.q;
    facetsBox.querySelectorAll("input").forEach((box) => { box.checked = state.selected[box.name].has(box.value); });
    return run(state, push);
  }
  let typing;
  input.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => run(readForm(), false), 120);
    preload(input.value);
  });
  // Fetch the index chunks of the words being typed at once, not after the pause: by the time the
  // search runs, they are usually here.
  function preload(q) {
    facetMeta().then((meta) => {
      for (const word of required(q, meta)) if (meta.chunks.has(chunkKey(word))) chunk(chunkKey(word)).catch(() => {});
    }, () => {});
  }
  form.addEventListener("submit", (event) => { event.preventDefault(); run(readForm(), true); });
  facetsBox.addEventListener("change", () => run(readForm(), true));
  $("search-clear").addEventListener("click", () => {
    const state = readForm();
    for (const keys of Object.values(state.selected)) keys.clear();
    show(state, true);
  });
  more.addEventListener("click", () => showMore(readForm()));
  window.addEventListener("popstate", () => show(readURL()));
  show(readURL());
})();
