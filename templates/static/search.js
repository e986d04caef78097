// Search and facets on /search/ (issue 13). generator/search.py writes the files read here.
// State lives in the fragment (#q=grief&topic=grief), never in a request: the query stays on the
// device, and Back and shared links still work.
"use strict";
(() => {
  // The filters, in facets.json's order; search.html draws them (titles, values, totals).
  const FACETS = ["kind", "topic", "audience", "country", "language", "cost"];
  const PAGE = 10;  // results drawn at once
  // Per field (name, summary, vocabulary, body), what a matching word is worth.
  const FIELD_WEIGHTS = [10, 5, 4, 2];
  const PREFIX = 0.6;  // a word only begun
  // A service that does not serve the visitor's country (nor every country) counts half: a UK
  // visitor's "text support" is Shout before the US's Crisis Text Line, while a name, or a
  // place the query names ("canada"), still wins.
  const ELSEWHERE = 0.5;
  const STEMMERS = {en: "EnglishStemmer", fr: "FrenchStemmer", de: "GermanStemmer", es: "SpanishStemmer",
                    nl: "DutchStemmer", pt: "PortugueseStemmer", hi: "HindiStemmer", ar: "ArabicStemmer"};
  const COUNTRY_KEY = "signpost-country";  // the country picker's remembered choice (site.js)

  // Controls that need JavaScript are hidden in the HTML; show them now, and hide the no-JS note.
  document.querySelectorAll("[data-search-js]").forEach((el) => { el.hidden = false; });
  document.querySelectorAll("[data-search-nojs]").forEach((el) => { el.hidden = true; });
  const form = document.querySelector("form[data-search-page]");
  if (!form) return;

  const base = form.dataset.base;
  const pages = form.dataset.pages || base;  // the pages in the visitor's language (/fr/...)
  // The page's words (site.js loads them: assets/strings/<lang>.json); English until they come.
  const t = (text, values) => (window.signpostText ? window.signpostText.t(text, values)
    : text.replace(/\{(\w+)\}/g, (all, key) => values[key]));
  // A count in words: the catalogue's forms by CLDR category (outputs.script_strings), chosen as
  // the page's language counts that number (Arabic has six forms, Japanese one); English until then.
  const counting = window.Intl && Intl.PluralRules && new Intl.PluralRules(document.documentElement.lang);
  const tn = (one, other, count) => {
    const forms = window.signpostText ? window.signpostText.forms(one) : {};
    return (forms[counting && counting.select(count)] || forms.other || (count === 1 ? one : other))
      .replace("%(num)s", count);
  };
  const $ = (id) => document.getElementById(id);
  const input = $("search-q"), facetsBox = $("search-facets"), status = $("search-status");
  const help = $("search-help"), list = $("search-results"), more = $("search-more");
  const signal = (name, detail) => form.dispatchEvent(new CustomEvent(`signpost:${name}`, {detail}));
  // Load each file once; forget a failed load so that the next query tries again.
  const once = (make) => { let p; return () => (p ||= make().catch((e) => { p = null; throw e; })); };
  const onceEach = (make) => {
    const parts = new Map();
    return (key) => {
      if (!parts.has(key)) parts.set(key, once(() => make(key)));
      return parts.get(key)();
    };
  };

  // ---- Loading, each file only when first needed ----------------------------------------------
  // The index is shared (base); what a result shows is in the page's language (pages).
  const getText = async (path, from = base) => {
    const response = await fetch(from + path);
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    return response.text();
  };

  // facets.json: the facet values (drawn before any query) and how the other files are laid out.
  const facetMeta = once(async () => {
    const header = JSON.parse(await getText("search/facets.json", pages));
    const values = [], totals = [];  // every facet value {facet, key, label}, in code order
    for (const [facet, rows] of header.facets) {
      for (const [key, label, total] of rows) { values.push({facet, key, label}); totals.push(total); }
    }
    const stemmers = header.stem.filter((l) => typeof window[STEMMERS[l]] === "function")
      .map((l) => ({language: l, stemmer: new window[STEMMERS[l]]()}));
    return {values, totals, entries: header.entries, block: header.cards, chunks: new Set(header.chunks),
            split: header.split, stopwords: new Set(header.stopwords), crisis: header.crisis,
            phraseWords: new Set(header.crisis.flat()),
            country: header.country, countries: new Set(header.countries), stemmers, language: header.language};
  });

  // entries.txt: line n holds entry n's facet value codes; fetched after the first results.
  const facetIndex = once(async () => {
    const [meta, text] = await Promise.all([facetMeta(), getText("search/entries.txt")]);
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
  // names.txt: per entry, words in its name + 16 if a crisis line + 32 if international.
  const nameFlags = once(async () => Uint8Array.from(await getText("search/names.txt"), decode));
  const chunk = onceEach((key) => getText(`search/index/${key}.txt`).then((text) => {
    signal("chunk", {key});  // tests wait on this rather than on time
    return text.split("\n").filter(Boolean);
  }));
  const cardBlock = onceEach((b) => getText(`search/cards/${b}.json`, pages).then(JSON.parse));
  async function cardOf(n) {
    const {block} = await facetMeta();
    return (await cardBlock(Math.floor(n / block)))[n % block];
  }
  // The visitor's country: emergency numbers, crisis lines, and which entries serve it.
  const countryFile = onceEach(async (code) => {
    const data = JSON.parse(await getText(`search/countries/${code}.json`, pages));
    const meta = await facetMeta(), serves = new Uint8Array(meta.entries);
    for (const n of decodePostings(data.serves)) serves[n] = 1;
    return {...data, serves};
  });

  // The country picker's remembered choice, else the browser's language region (en-GB → gb),
  // else the site's default: read on the device, sent nowhere.
  function visitorCountry(meta) {
    let saved = "";
    try { saved = (localStorage.getItem(COUNTRY_KEY) || "").toLowerCase(); } catch (error) { /* storage off */ }
    if (meta.countries.has(saved)) return saved;
    for (const language of navigator.languages || [navigator.language || ""]) {
      const region = (language.split("-")[1] || "").toLowerCase();
      if (meta.countries.has(region)) return region;
    }
    return meta.countries.has(meta.country) ? meta.country : "";
  }
  const visitor = async () => {
    const meta = await facetMeta(), code = visitorCountry(meta);
    return code ? {code, ...(await countryFile(code))} : null;
  };

  // ---- State <-> fragment and form -------------------------------------------------------------
  function readURL() {
    const params = new URLSearchParams(location.hash.slice(1));
    const selected = {};
    for (const facet of FACETS) selected[facet] = new Set(params.getAll(facet).map((v) => v.toLowerCase()));
    return {q: (params.get("q") || "").trim(), selected};
  }
  function readForm() {
    const selected = {};
    for (const facet of FACETS) {
      selected[facet] = new Set(Array.from(form.querySelectorAll(`input[name="${facet}"]:checked`), (box) => box.value));
    }
    return {q: input.value.trim(), selected};
  }
  function fragment(state) {
    const params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    for (const [facet, keys] of Object.entries(state.selected)) for (const key of [...keys].sort()) params.append(facet, key);
    const text = params.toString();
    return text ? `#${text}` : "";
  }
  function remember(state, push) {
    const hash = fragment(state);
    if (hash !== location.hash) history[push ? "pushState" : "replaceState"](null, "", location.pathname + hash);
  }

  // ---- Words, as the build indexed them ----------------------------------------------------------
  // Lower case, Latin accents folded, other scripts' marks kept (Devanagari's vowel signs).
  const normalise = (s) => s.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "").normalize("NFC");
  const tokens = (q) => (normalise(q).match(/[\p{L}\p{M}\p{N}]+/gu) || []).filter((w) => w.length > 1);
  const isDigits = (w) => /^\d+$/.test(w);
  // The keys a word is indexed under: its stem in the site's language (the word itself where
  // that has no stemmer), and "stem~language" for each other language whose stem differs.
  function stems(word, meta) {
    if (isDigits(word)) return [{key: word, plain: true}];
    const own = meta.stemmers.find((s) => s.language === meta.language);
    const plain = own ? own.stemmer.stemWord(word) : word, found = [{key: plain, plain: true}];
    for (const {language, stemmer} of meta.stemmers) {
      const key = stemmer.stemWord(word);
      if (language !== meta.language && key !== plain) found.push({key: `${key}~${language}`, plain: false});
    }
    return found;
  }
  const keyOf = (word, length) => Array.from(word).slice(0, length)
    .map((ch) => (/[a-z0-9]/.test(ch) ? ch : `_${ch.codePointAt(0).toString(16)}`)).join("");
  // The chunks that may hold the stem `text` (`whole`) or the stems it begins: its two-letter
  // chunk or, where that was cut into parts ("de-1", "de-2"...), the parts whose ranges hold
  // them; meta.split[key] lists the first stem of each part after the first, in the build's
  // order, which is JavaScript's (search.py's utf16_order).
  function chunksFor(text, meta, whole) {
    const key = keyOf(text, 2), bounds = meta.split[key];
    if (!bounds) return meta.chunks.has(key) ? [key] : [];
    const part = (s) => 1 + bounds.filter((first) => first <= s).length;
    const from = part(text), to = whole ? from : part(text + "\uffff");
    return Array.from({length: to - from + 1}, (_, i) => `${key}-${from + i}`);
  }

  // The query's words: its tokens less the stopwords, unless that leaves none.
  function queryWords(q, meta) {
    const all = [...new Set(tokens(q))], kept = all.filter((word) => !meta.stopwords.has(word));
    return kept.length > 0 ? kept : all;
  }

  // A crisis phrase ("kill myself") anywhere in the query, word for word or stem for stem.
  function crisisIntent(q, meta) {
    const words = tokens(q), same = (a, b) => a === b || stems(a, meta)[0].key === stems(b, meta)[0].key;
    return meta.crisis.some((phrase) => words.some((_, i) => phrase.every((w, j) => words[i + j] !== undefined && same(words[i + j], w))));
  }

  // Whether a word of `shortest` letters or more may be a typo. A number is not, and a word of a
  // crisis phrase is a word of its language: on the German page, "ich kann nicht mehr" is not
  // searched as "can".
  const mayBeTypo = (word, meta, shortest) => word.length >= shortest && !isDigits(word) && !meta.phraseWords.has(word);

  // ---- Text search: rank, never filter ---------------------------------------------------------
  let lastQuery = null, lastHits = null;
  async function textHits(q) {
    if (q === lastQuery) return lastHits;
    const meta = await facetMeta(), query = queryWords(q, meta);
    const extras = Promise.all([nameFlags(), visitor().catch(() => null)]);  // fetched meanwhile
    // Only the last word may be unfinished ("friendsh"): it alone also matches the stems it begins.
    const perWord = await Promise.all(query.map((w, i) => wordScores(w, meta, i === query.length - 1)));
    // A word that matched nothing may be a typo: the nearest indexed word stands in for it,
    // also when the other words matched ("samaratins london").
    // A word found only through another language's stem counts as not found ("lonelyness").
    const fixes = new Map();
    await Promise.all(query.map(async (word, i) => {
      if (perWord[i].strong || !mayBeTypo(word, meta, 4)) return;
      const near = nearest(word, await words());
      if (near) { fixes.set(word, near); perWord[i] = await wordScores(near, meta, false); }
    }));
    const [flags, place] = await extras;
    const fixed = query.map((w) => fixes.get(w) || w).join(" ");
    lastQuery = q;
    lastHits = {ordinals: rank(meta, perWord, flags, place), place, fixes, words: query,
                crisis: crisisIntent(q, meta) || (fixes.size > 0 && crisisIntent(fixed, meta))};
    if (lastHits.crisis && place) lastHits.ordinals = crisisFirst(lastHits.ordinals, place.crisis);
    return lastHits;
  }

  // Entries matching most words first, then by score; ties go to the visitor's country (then
  // international services), then to crisis lines, then A–Z. An entry matching fewer than half
  // the words the index knows is left out ("car insurance quote" is not about carers); a word
  // it does not know ("so", "please") only lowers the rank. Linear in the hits, plus one sort.
  function rank(meta, perWord, flags, place) {
    const N = meta.entries, matched = new Uint8Array(N), score = new Float32Array(N), inName = new Uint8Array(N);
    const found = [];
    for (const {scores, names, found: hits} of perWord) {
      for (const n of hits) {
        if (matched[n] === 0) found.push(n);
        matched[n]++; score[n] += scores[n]; inName[n] += names[n];
      }
    }
    const words = perWord.length, known = perWord.filter((w) => w.found.length > 0).length;
    const keys = new Float64Array(found.length);
    let kept = 0;
    for (const n of found) {
      if (matched[n] * 2 < known) continue;
      // A name made of the query's words and little else comes first: "Kids Helpline".
      let s = score[n];
      if (inName[n] === words) s += FIELD_WEIGHTS[0] * words / Math.max(flags[n] & 15, words);
      const here = place ? place.serves[n] === 1 : false;
      if (place && !here && !(flags[n] & 32)) s *= ELSEWHERE;
      // Whole points: near-equal scores tie, so ties (country, crisis, A–Z) decide more often,
      // and a page of results falls in fewer card blocks.
      const quality = Math.max(0, 16383 - Math.round(s));
      const tie = (here ? 0 : flags[n] & 32 ? 2 : 4) + (flags[n] & 16 ? 0 : 1);
      keys[kept++] = (((words - matched[n]) * 16384 + quality) * 8 + tie) * 1048576 + n;
    }
    const ranked = keys.subarray(0, kept);
    ranked.sort();
    return Uint32Array.from(ranked, (key) => key % 1048576);
  }

  // Crisis intent: the visitor's crisis lines come first, in the order their country lists them.
  function crisisFirst(ordinals, lines) {
    const first = new Set(lines);
    return Uint32Array.from([...lines, ...Array.from(ordinals).filter((n) => !first.has(n))]);
  }

  // Per entry, the best score of the word's stems (whole) or of stems it begins (as typed), and
  // whether that was in the name; and the entries found, each once.
  async function wordScores(word, meta, typing) {
    const N = meta.entries, result = {scores: new Float32Array(N), names: new Uint8Array(N), found: [], strong: false};
    const wanted = stems(word, meta);
    const keys = new Set([...wanted.flatMap((s) => chunksFor(s.key, meta, true)), ...(typing ? chunksFor(word, meta, false) : [])]);
    const chunks = await Promise.all([...keys].map(chunk));
    for (const lines of chunks) {
      for (const {key, plain} of wanted) {
        const i = firstAtLeast(lines, key + " ");
        if (i < lines.length && lines[i].startsWith(key + " ")) {
          addLine(result, lines[i], 1);
          result.strong ||= plain;
        }
      }
      if (!typing || word.length < 3) continue;  // two letters: whole words only
      for (let i = firstAtLeast(lines, word); i < lines.length && lines[i].startsWith(word); i++) {
        if (!wanted.some((s) => lines[i].startsWith(s.key + " "))) { addLine(result, lines[i], PREFIX); result.strong = true; }
      }
    }
    return result;
  }

  function firstAtLeast(lines, word) {
    let lo = 0, hi = lines.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (lines[mid] < word) lo = mid + 1; else hi = mid; }
    return lo;
  }

  // A line is "stem postings-name postings-summary postings-vocabulary postings-body".
  // Postings are decoded in place, not into arrays: "support" has 40,000 at 50,000 entries.
  function addLine(result, line, weight) {
    const {scores, names, found} = result;
    let field = 0, value = 0, n = 0, gap = 0, digits = 0;
    for (let i = line.indexOf(" "); i <= line.length; i++) {
      const c = i < line.length ? line.charCodeAt(i) : 32;
      if (c !== 44 && c !== 32) { gap = gap * 36 + (c <= 57 ? c - 48 : c - 87); digits++; continue; }
      if (digits > 0) {  // the end of one number
        n += gap;
        if (scores[n] === 0) found.push(n);
        if (scores[n] < value) { scores[n] = value; names[n] = field === 1 ? 1 : 0; }
      }
      gap = 0; digits = 0;
      if (c === 32) { field++; n = 0; value = FIELD_WEIGHTS[field - 1] * weight; }
    }
  }

  // Postings are entry numbers as base-36 gaps: "3,1,10" is entries 3, 4 and 40.
  function decodePostings(postings) {
    const out = [];
    let n = 0, gap = 0;
    for (let i = 0; i <= postings.length; i++) {
      const c = i < postings.length ? postings.charCodeAt(i) : 44;
      if (c !== 44) { gap = gap * 36 + (c <= 57 ? c - 48 : c - 87); continue; }
      if (i === 0 && postings.length === 0) break;
      n += gap; gap = 0;
      out.push(n);
    }
    return out;
  }

  // The nearest indexed word, if near enough: two edits from eight letters, one from five, and in
  // a word of four only a slip of the ear or a doubled letter, which cost half an edit (see
  // `cost`), so "counciling" finds "counselling" and "kidz" "kids", while "seul" is not "sul".
  // It begins with the letter typed, or one that sounds alike: people seldom slip on the first
  // letter, and a word of another language seldom differs only there ("aide" is not "side").
  function nearest(word, known, limit = word.length >= 8 ? 2 : word.length >= 5 ? 1 : 0.5) {
    let best = null, bestDistance = limit + 0.25;
    for (const k of known) {
      if (Math.abs(k.length - word.length) > 2 * limit || cost(k[0], word[0]) === 1) continue;
      const d = distance(word, k, limit);
      if (d < bestDistance) { best = k; bestDistance = d; }
    }
    return best;
  }

  // What changing letter a into b costs: half an edit for letters that sound alike (one vowel for
  // another, c/s/k/q, s/z, f/v/ph's p, i/y), one edit otherwise. Adding or dropping a letter that
  // repeats its neighbour ("counseling", "counselling") also costs half.
  const ALIKE = ["aeiouy", "cskq", "sz", "fv", "fp", "jg"];
  const cost = (a, b) => a === b ? 0 : ALIKE.some((set) => set.includes(a) && set.includes(b)) ? 0.5 : 1;
  const gap = (word, at) => (at > 0 && word[at - 1] === word[at]) || word[at + 1] === word[at] ? 0.5 : 1;

  // Damerau–Levenshtein (optimal string alignment) distance weighted by `cost` and `gap`, giving
  // up above `limit`.
  function distance(a, b, limit) {
    let prev2 = null, prev = [0];
    for (let j = 1; j <= b.length; j++) prev[j] = prev[j - 1] + gap(b, j - 1);
    for (let i = 1; i <= a.length; i++) {
      const row = [prev[0] + gap(a, i - 1)];
      let rowMin = row[0];
      for (let j = 1; j <= b.length; j++) {
        row[j] = Math.min(prev[j] + gap(a, i - 1), row[j - 1] + gap(b, j - 1), prev[j - 1] + cost(a[i - 1], b[j - 1]));
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
    const names = FACETS;
    const bitOf = index.values.map((v) => 1 << names.indexOf(v.facet));
    const chosen = index.values.map((v) => state.selected[v.facet].has(v.key));
    const active = names.reduce((mask, f, i) => (state.selected[f].size ? mask | (1 << i) : mask), 0);
    const counts = new Uint32Array(index.values.length);
    const kept = [];
    const {codes, start} = index;
    for (const n of ordinals) {
      let met = 0;
      for (let i = start[n]; i < start[n + 1]; i++) if (chosen[codes[i]]) met |= bitOf[codes[i]];
      const failing = active & ~met;
      if (failing === 0) {
        kept.push(n);
        for (let i = start[n]; i < start[n + 1]; i++) counts[codes[i]]++;
      } else if ((failing & (failing - 1)) === 0) {
        for (let i = start[n]; i < start[n + 1]; i++) if (bitOf[codes[i]] === failing) counts[codes[i]]++;
      }
    }
    return {kept, counts};
  }

  function drawFacets(values, counts, state) {
    values.forEach((v, c) => {
      const box = $(`facet-${c}`);
      box.checked = state.selected[v.facet].has(v.key);
      box.parentElement.lastChild.textContent = ` (${counts[c]})`;
    });
  }

  function el(tag, props = {}, ...children) {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children);
    return node;
  }

  // ---- Results ----------------------------------------------------------------------------------
  let shown = [], shownCount = 0, runs = 0;

  // `push`: true, a new history entry; false, in place of the current one; undefined, left as it
  // is (going back). If an index file cannot be fetched, say so and point at the browse pages.
  function run(state, push) {
    return search(state, push).catch(() => {
      if (push !== undefined) remember(state, push);
      status.textContent = t("Search is not available right now. Every service is listed on the pages below.");
      signal("failed");
    });
  }

  async function search(state, push) {
    const run = ++runs, start = performance.now();
    const text = tokens(state.q).length > 0;  // a lone letter is no query: it would match everything
    let hits = [], found = null;
    if (text) { found = await textHits(state.q); hits = found.ordinals; }
    const index = anySelected(state) ? await facetIndex() : null;
    if (run !== runs) return;
    let counts = null;
    if (index) ({kept: hits, counts} = narrow(index, text ? hits : index.all, state));
    const place = found ? found.place : null;
    const nothing = (text || index) && hits.length === 0;
    // Crisis intent, or nothing found: the visitor's crisis lines and emergency numbers come first.
    const urgent = found && found.crisis;
    const fallback = nothing ? await visitor().catch(() => null) : null;
    if (run !== runs) return;
    drawHelp(urgent || nothing ? place || fallback : null, urgent);
    shown = nothing && fallback ? Uint32Array.from(fallback.crisis) : hits;
    shownCount = 0; list.replaceChildren();
    list.setAttribute("aria-label", nothing ? t("Crisis lines") : t("Results"));
    await showMore(run);
    if (run !== runs) return;
    // The counts after the cards, so that the first result waits for nothing else.
    if (counts) drawFacets(index.values, counts, state);
    announce(state, text, hits.length, found, nothing ? fallback : null);
    if (push !== undefined) remember(state, push);
    signal("results", {count: hits.length, ms: performance.now() - start, crisis: Boolean(urgent)});
    if (!index) countLater(state, run, text);
  }

  // Without filters, counts come after the results, so the first results wait for nothing.
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

  // A page of cards, fetched at once (usually one or two blocks) and drawn in rank order.
  // "signpost:first" marks the first one drawn (the benchmark times it).
  async function showMore(run = runs) {
    const batch = Array.from(shown.slice(shownCount, shownCount + PAGE));
    const firstPage = shownCount === 0;
    shownCount += batch.length;
    const pending = batch.map(cardOf);
    for (const [i, next] of pending.entries()) {
      const data = await next;
      if (run !== runs) return;
      list.append(card(data));
      if (firstPage && i === 0) signal("first");
    }
    more.hidden = shownCount >= shown.length;
  }

  // A card: name, where it serves, whether it is a crisis line, its most direct contact as a
  // link, and its hours in a few words with "open now" worked out here.
  function card([url, name, kind, summary, where, crisis, hours, action, contact, href, schedule, zone, keyword, nameLang, textLang]) {
    const link = el("a", {href: pages + url.replace(/^\//, ""), textContent: name});
    if (nameLang) link.lang = nameLang;
    const title = el("h2", {className: "card-title"}, link);
    const meta = el("p", {className: "card-meta"}, `${kind} · ${where || t("International")}`);
    if (crisis) meta.append(" ", el("span", {className: "badge badge-crisis", textContent: t("Crisis line")}));
    // A summary the entry gives only in the site's language: said so, and set in its own direction.
    const text = el("p", {textContent: summary});
    if (textLang) Object.assign(text, {lang: textLang, dir: "auto"});
    const item = el("li", {className: "card"}, title, meta, text);
    if (contact) item.append(contactLine(action, keyword ? t("{keyword} to {contact}", {keyword, contact}) : contact, href, hours, schedule, zone));
    return item;
  }

  function contactLine(action, contact, href, hours, schedule, zone) {
    const line = el("p", {className: "card-contact"});
    if (/^(tel:|sms:|mailto:|https:)/.test(href)) {
      const link = el("a", {href, textContent: `${action} ${contact}`});
      if (href.startsWith("https:")) link.rel = "noopener noreferrer";
      line.append(link);
    } else line.append(`${action}: ${contact}`);
    if (hours) line.append(" ", el("span", {className: "card-hours", textContent: hours === "24/7" ? t("Open 24/7") : hours}));
    const open = openNow(schedule, zone);
    if (open !== null) line.append(" ", el("span", {className: `badge ${open ? "badge-open" : "badge-closed"}`, textContent: open ? t("Open now") : t("Closed now")}));
    return line;
  }

  function openNow(schedule, zone) {
    const hours = window.signpostHours;  // site.js's, so a card and an entry page agree
    if (!schedule || !zone || !hours) return null;
    try { return hours.isOpen(schedule, hours.weekMinute(zone, new Date())); } catch (error) { return null; }
  }

  // The emergency numbers of the visitor's country, above the results, for crisis intent or
  // when nothing matched.
  function drawHelp(place, urgent) {
    help.replaceChildren();
    help.hidden = !place;
    if (!place) return;
    help.append(el("h2", {textContent: urgent ? t("Help now in {place}", {place: place.name}) : t("Need to talk to someone now? ({place})", {place: place.name})}));
    if (place.emergency.length) {
      const numbers = el("p", {className: "emergency-numbers"}, t("In danger now?") + " ");
      // [as shown, as dialled]: the link dials by phones.py's one rule, as the home page's does.
      for (const [shown, tel] of place.emergency) numbers.append(el("a", {href: `tel:${tel}`, textContent: t("Call {number}", {number: shown})}), " ");
      if (place.note) numbers.append(el("span", {className: "note", textContent: place.note}));
      help.append(numbers);
    } else {
      help.append(el("p", {textContent: t("We have no checked emergency number for {place}. The international lines below can help you find local help.", {place: place.name})}));
    }
    help.append(el("p", {textContent: place.crisis.length ? t("The crisis lines below answer now.") : t("Every service is listed in the links below.")}));
  }

  function announce(state, text, count, found, fallback) {
    const services = tn("%(num)s service", "%(num)s services", count);  // as list pages say it (ngettext)
    if (!text && !anySelected(state)) {
      status.textContent = state.q ? t("Type at least two letters, or choose filters, to find a service.")
        : t("Type a word, or choose filters, to find a service.");
      return;
    }
    if (count === 0) {
      const suggestion = fallback ? t("Below are crisis lines you can contact now, and every way to browse.") : t("Every way to browse is below.");
      status.replaceChildren(text ? (anySelected(state) ? t("Nothing matched “{q}” with these filters.", {q: state.q}) : t("Nothing matched “{q}”.", {q: state.q})) + " " : t("No service has all the filters you chose.") + " ", suggestion);
      suggest(state, found);
      return;
    }
    const fixed = found && found.fixes.size ? [...found.fixes].map(([from, to]) => t("“{to}” for “{from}”", {to, from})).join(", ") : "";
    const first = found && found.crisis && found.place ? t(", crisis lines in {place} first", {place: found.place.name}) : "";
    status.replaceChildren(t("{services} found", {services}) + (fixed ? t(", searching {fixed}", {fixed}) : "") + first + ".");
  }

  // "Did you mean": the nearest indexed word to each query word that may be a typo, from five
  // letters, two edits away at most: looser than the correction made unasked.
  async function suggest(state, found) {
    if (!found) return;
    const meta = await facetMeta(), known = await words();
    const fixed = found.words.map((w) => mayBeTypo(w, meta, 5) && nearest(w, known, 2) || w);
    if (fixed.join(" ") === found.words.join(" ")) return;
    const q = fixed.join(" ");
    // The sentence is the catalogue's, the link goes where it has {words}: "¿Quisiste decir …?", "هل تقصد …؟"
    const [before, after = ""] = t("Did you mean {words}?", {words: "\u0000"}).split("\u0000");
    status.append(" " + before, el("a", {href: fragment({...state, q}), textContent: q}), after);
  }

  // ---- Events -----------------------------------------------------------------------------------
  let current = null;
  function show(state, push) {
    current = fragment(state);
    input.value = state.q;
    facetsBox.querySelectorAll("input").forEach((box) => { box.checked = state.selected[box.name].has(box.value); });
    return run(state, push);
  }
  let typing;
  input.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => { current = fragment(readForm()); run(readForm(), false); }, 120);
    preload(input.value);
  });
  // Fetch the index chunks of the words being typed at once, not after the pause.
  function preload(q) {
    facetMeta().then((meta) => {
      for (const word of queryWords(q, meta)) {
        for (const key of new Set([...stems(word, meta).flatMap((s) => chunksFor(s.key, meta, true)), ...chunksFor(word, meta, false)])) chunk(key).catch(() => {});
      }
    }, () => {});
  }
  form.addEventListener("submit", (event) => { event.preventDefault(); current = fragment(readForm()); run(readForm(), true); });
  facetsBox.addEventListener("change", () => { current = fragment(readForm()); run(readForm(), true); });
  $("search-clear").addEventListener("click", () => {
    const state = readForm();
    for (const keys of Object.values(state.selected)) keys.clear();
    show(state, true);
  });
  more.addEventListener("click", () => showMore());
  // Back, Forward, a "did you mean" link or an edited address: show what the fragment says.
  const navigated = () => { if (fragment(readURL()) !== current) show(readURL()); };
  window.addEventListener("popstate", navigated);
  window.addEventListener("hashchange", navigated);
  // The first search waits for the page's words, so its status is in the page's language.
  (window.signpostText ? window.signpostText.ready : Promise.resolve()).then(() => show(readURL()));
  window.signpostSearch = {tokens};  // for tests/test_search_stems.py: the browser's words, as typed
})();
