// Search and facets on /search/, and the search box on the home page.
// Text matching is Pagefind's; facets, typo correction and drawing are ours (generator/search.py
// writes the files read here). State lives in the URL: /search/?q=grief&topic=grief&country=gb
"use strict";
(() => {
  const FACET_TITLES = {kind: "Kind of service", topic: "Topic", audience: "Who it is for",
                        country: "Country", language: "Language", cost: "Cost"};
  const PAGE = 10;  // results drawn at once: each needs its fragment fetched

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

  // ---- Loading, each file only when first needed ----------------------------------------------
  const pagefind = once(async () => {
    const pf = await import(`${base}pagefind/pagefind.js`);
    await pf.options({basePath: `${base}pagefind/`});
    await pf.init();
    return pf;
  });

  // facets.json: each facet's values, labels and entry counts; small, drawn before any query.
  const facetMeta = once(async () => {
    const header = await (await fetch(`${base}search/facets.json`, {cache: "no-cache"})).json();
    const values = [], totals = [];  // every facet value {facet, key, label}, in code order
    for (const [facet, rows] of header.facets) {
      for (const [key, label, total] of rows) { values.push({facet, key, label}); totals.push(total); }
    }
    return {values, totals};
  });

  // entries.txt: per entry (in A–Z order) "<pagefind id> <value codes>"; grows with the directory,
  // so it is fetched after the first results, or when a filter is ticked.
  const facetIndex = once(async () => {
    const [meta, text] = await Promise.all([facetMeta(),
      fetch(`${base}search/entries.txt`, {cache: "no-cache"}).then((r) => r.text())]);
    // Codes of entry n are codes[start[n]] up to codes[start[n + 1]]: flat typed arrays, so a
    // count over 50,000 hits is one tight loop.
    const lines = text.split("\n").filter(Boolean);
    const ids = new Array(lines.length), start = new Uint32Array(lines.length + 1), ordinal = new Map();
    const codes = new Uint16Array(text.length);
    let end = 0;
    lines.forEach((line, n) => {
      const space = line.indexOf(" ");
      ids[n] = line.slice(0, space);
      ordinal.set(ids[n], n);
      start[n] = end;
      for (const ch of line.slice(space + 1)) codes[end++] = decode(ch);
    });
    start[lines.length] = end;
    const all = Uint32Array.from(ids, (_, n) => n);
    return {values: meta.values, ids, codes, start, ordinal, all};
  });
  const decode = (ch) => { const c = ch.codePointAt(0); return c >= 0x100 ? c - 0x100 + 94 : c - 0x21; };

  const words = once(async () => (await (await fetch(`${base}search/words.txt`)).text()).split("\n").filter(Boolean));

  // A result's name, kind, summary and contact: Pagefind's fragment for it (gzip of a marker + JSON).
  const fragments = new Map();
  const fragment = (id) => {
    if (!fragments.has(id)) fragments.set(id, loadFragment(id));
    return fragments.get(id);
  };
  async function loadFragment(id) {
    const response = await fetch(`${base}pagefind/fragment/${id}.pf_fragment`);
    let bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) {  // still gzipped (the host did not decode it)
      bytes = new Uint8Array(await new Response(new Blob([bytes]).stream()
        .pipeThrough(new DecompressionStream("gzip"))).arrayBuffer());
    }
    return JSON.parse(new TextDecoder().decode(bytes).replace(/^pagefind_dcd/, ""));
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
  let lastQuery = null, lastHits = null;
  async function textHits(q) {
    if (q === lastQuery) return lastHits;
    const pf = await pagefind();
    let found = await pf.search(q), used = q;
    if (found.results.length === 0) {  // nothing: perhaps a misspelling ("samaratins")
      const corrected = await correct(q);
      if (corrected !== q) { found = await pf.search(corrected); used = corrected; }
    }
    lastQuery = q;
    lastHits = {ids: found.results.map((r) => r.id), used};
    return lastHits;
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

  // If an index file cannot be fetched (offline, say), say so and point at the browse pages.
  function run(state) {
    return search(state).catch(() => {
      status.textContent = "Search is not available right now. Every service is listed on the pages below.";
    });
  }

  async function search(state) {
    const run = ++runs, start = performance.now();
    let ids = [], used = state.q;
    if (state.q) ({ids, used} = await textHits(state.q));
    const index = anySelected(state) ? await facetIndex() : null;
    if (run !== runs) return;  // a newer query has started
    if (index) {
      const ordinals = state.q ? hitOrdinals(index) : index.all;
      const {kept, counts} = narrow(index, ordinals, state);
      drawFacets(index.values, counts, state);
      ids = kept.map((n) => index.ids[n]);
    }
    shown = ids; shownCount = 0; list.replaceChildren();
    await showMore(state, run);
    if (run !== runs) return;
    announce(state, used, ids.length);
    form.dispatchEvent(new CustomEvent("signpost:results", {detail: {count: ids.length, ms: performance.now() - start}}));
    if (!index) countLater(state, run);
  }

  // The last query's hits as entry numbers, worked out once per query, not per filter change.
  function hitOrdinals(index) {
    lastHits.ordinals ||= lastHits.ids.map((id) => index.ordinal.get(id));
    return lastHits.ordinals;
  }

  // Without filters, counts come after the results, so the first results wait for nothing:
  // the totals for no query, else counted over the query's hits.
  async function countLater(state, run) {
    if (!state.q) {
      const meta = await facetMeta();
      if (run === runs) drawFacets(meta.values, meta.totals, state);
      return;
    }
    const index = await facetIndex();
    if (run !== runs) return;
    const {counts} = narrow(index, hitOrdinals(index), state);
    drawFacets(index.values, counts, state);
  }

  // Fragments are fetched all at once and drawn in rank order as they arrive, so the first result
  // shows after one fetch, not ten. "signpost:first" marks that moment (the benchmark times it).
  async function showMore(state, run = runs) {
    const batch = shown.slice(shownCount, shownCount + PAGE);
    const firstPage = shownCount === 0;
    shownCount += batch.length;
    const q = state.q.toLowerCase();
    const pending = batch.map(fragment);
    for (const [i, next] of pending.entries()) {
      const record = await next;
      if (run !== runs) return;
      // An exact name match goes first, whatever the ranking said.
      if (firstPage && record.meta.title.toLowerCase() === q) list.prepend(card(record));
      else list.append(card(record));
      if (firstPage && i === 0) form.dispatchEvent(new CustomEvent("signpost:first"));
    }
    more.hidden = shownCount >= shown.length;
  }

  function card(record) {
    const item = el("li", {className: "card"});
    const title = el("h2", {className: "card-title"});
    title.append(el("a", {href: base + record.url.replace(/^\//, ""), textContent: record.meta.title}));
    item.append(title, el("p", {className: "card-meta", textContent: record.meta.kind}),
                el("p", {textContent: record.meta.summary}));
    if (record.meta.contact) item.append(contactLine(record.meta));
    return item;
  }

  // The first contact as a real link (tel:, sms:, mailto: or https:), one tap away.
  function contactLine(meta) {
    const line = el("p", {className: "card-contact"});
    const [action, ...rest] = meta.contact.split(": ");
    if (!meta.contact_href || !/^(tel:|sms:|mailto:|https:)/.test(meta.contact_href)) {
      line.textContent = meta.contact;
      return line;
    }
    const link = el("a", {href: meta.contact_href, textContent: rest.join(": ")});
    if (meta.contact_href.startsWith("https:")) link.rel = "noopener noreferrer";
    line.append(`${action}: `, link);
    return line;
  }

  function announce(state, used, count) {
    const services = `${count} service${count === 1 ? "" : "s"}`;
    if (!state.q && !anySelected(state)) status.textContent = "Type a word, or choose filters, to find a service.";
    else if (used !== state.q) status.textContent = `No matches for “${state.q}”. ${services} found for “${used}” instead.`;
    else status.textContent = `${services} found.`;
  }

  // ---- Events -----------------------------------------------------------------------------------
  // Put the form in the given state at once; counts follow when the run finishes.
  function show(state) {
    input.value = state.q;
    facetsBox.querySelectorAll("input").forEach((box) => { box.checked = state.selected[box.name].has(box.value); });
    return run(state);
  }
  let typing;
  input.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => { const state = readForm(); remember(state, false); run(state); }, 120);
  });
  form.addEventListener("submit", (event) => { event.preventDefault(); const state = readForm(); remember(state, true); run(state); });
  facetsBox.addEventListener("change", () => { const state = readForm(); remember(state, true); run(state); });
  $("search-clear").addEventListener("click", () => {
    const state = readForm();
    for (const keys of Object.values(state.selected)) keys.clear();
    remember(state, true); show(state);
  });
  more.addEventListener("click", () => showMore(readForm()));
  window.addEventListener("popstate", () => show(readURL()));
  show(readURL());
})();
