// The projected idea wall. The server sends ideas as data (atelierWall.put); this script lays them out for the
// screen it is on and draws only the page on screen. A projector is never scrolled: cards shrink down to a
// legible floor (24 px titles at 720 px high, 32 px at 1080: rules/board.py's title_floor), the wall flows
// category after category through as many columns as fit, and past one screen it turns pages by itself.
// Participant text is only ever set as textContent: markup typed on a phone never runs on the projector.
(function () {
  "use strict";
  const MAX_SCALE = 1.6; // titles grow up to 1.6 × the floor when the ideas are few
  const COLUMN_EM = 11.5; // a column is at least this many title-ems wide
  const FRESH_MS = 8000; // a new idea stays highlighted, and its page held, this long

  const state = {
    root: null, categories: [], labels: {}, ideas: new Map(), order: [], settings: {},
    pages: [], page: 0, font: 0, lastTurn: 0, fresh: new Map(), relayoutQueued: false, measureKey: "",
    heights: new Map(), groupsFirst: false,
  };

  function titleFloor(height) {
    return Math.max(20, Math.round(24 + (height - 720) * 8 / 360));
  }

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function card(idea) {
    const category = state.categories.find((c) => c.key === idea.c);
    const node = el("article", "idea-card");
    node.dataset.id = idea.id;
    if (category) node.style.setProperty("--stripe", category.colour);
    const title = el("div", "idea-title", idea.t);
    title.dataset.testid = "idea-title";
    node.appendChild(title);
    if (idea.g && idea.g.length) {
      node.appendChild(el("div", "idea-meta", state.labels.groupOf.replace("{count}", idea.g.length)));
      node.appendChild(el("div", "idea-members", idea.g.join(" · ")));
    } else if (idea.o) {
      node.appendChild(el("div", "idea-meta", idea.o));
    }
    const badges = el("div", "idea-badges");
    (idea.b || []).forEach((b) => badges.appendChild(el("span", "idea-badge" + (b.k ? " idea-badge-" + b.k : ""), b.t)));
    if (idea.s) {
      const support = el("span", "idea-badge idea-badge-support", "+" + idea.s);
      support.dataset.testid = "idea-support";
      badges.appendChild(support);
    }
    if (badges.childNodes.length) node.appendChild(badges);
    if (state.fresh.has(idea.id)) node.classList.add("idea-new");
    return node;
  }

  function header(category, continued) {
    const node = el("div", "category-title", category.label + (continued ? " " + state.labels.continued : ""));
    node.style.color = category.colour;
    node.dataset.testid = "category-title";
    return node;
  }

  function shownIdeas() {
    const filter = state.settings.category || "";
    const rank = new Map(state.categories.map((c, n) => [c.key, n]));
    const list = [];
    state.ideas.forEach((idea) => { if (!filter || idea.c === filter) list.push(idea); });
    list.sort((a, b) => (rank.get(a.c) ?? 999) - (rank.get(b.c) ?? 999)
      || (state.groupsFirst ? (b.g ? 1 : 0) - (a.g ? 1 : 0) : 0) || a.id - b.id);
    return list;
  }

  // Heights of every card at a font and column width, measured in one hidden column (one layout pass). Heights
  // are kept per font and width: a new idea measures only itself, not the whole wall again.
  function measure(list, font, width) {
    const key = font + "|" + Math.round(width);
    let cache = state.heights.get(key);
    if (!cache) {
      if (state.heights.size > 12) state.heights.clear();
      cache = { headers: new Map(), cards: new Map() };
      state.heights.set(key, cache);
    }
    const missing = list.filter((idea) => !cache.cards.has(idea.id));
    // Each category's title, as it starts and as it goes on: a long one wraps on two lines in a narrow column.
    const heads = [];
    new Set(list.map((idea) => idea.c)).forEach((key) => [false, true].forEach((continued) => {
      if (!cache.headers.has(headKey(key, continued))) heads.push([key, continued]);
    }));
    if (missing.length || heads.length) {
      const probe = el("div", "wall-measure");
      probe.style.fontSize = font + "px";
      probe.style.width = width + "px";
      document.body.appendChild(probe);
      const headNodes = heads.map(([key, continued]) => probe.appendChild(header(categoryOf(key), continued)));
      const nodes = missing.map((idea) => probe.appendChild(card(idea)));
      const gap = parseFloat(getComputedStyle(probe).rowGap) || 0;
      headNodes.forEach((node, n) => cache.headers.set(headKey(...heads[n]),
                                                       node.getBoundingClientRect().height + gap));
      nodes.forEach((node, n) => cache.cards.set(missing[n].id, node.getBoundingClientRect().height + gap));
      probe.remove();
    }
    return cache;
  }

  function headKey(key, continued) {
    return (continued ? "+" : "") + key;
  }

  function categoryOf(key) {
    return state.categories.find((c) => c.key === key) || { label: key, colour: "#fff" };
  }

  function forget(id) {
    state.heights.forEach((cache) => cache.cards.delete(id));
  }

  // Fills columns top to bottom, category after category; a category going on in a new column repeats its
  // title. Returns pages of columns of entries {kind: "head"|"card", ...}.
  function pack(list, sizes, columns, height) {
    const pages = [];
    let page = [], column = [], used = 0, current = null;
    function newColumn() {
      if (column.length) page.push(column);
      column = []; used = 0;
      if (page.length === columns) { pages.push(page); page = []; }
    }
    list.forEach((idea) => {
      const h = sizes.cards.get(idea.id);
      const starts = current !== idea.c;
      const need = h + (starts ? sizes.headers.get(headKey(idea.c, false)) : 0);
      if (used > 0 && used + need > height) newColumn();
      if (starts || used === 0) {  // a category starts, or goes on at the top of a new column
        column.push({ kind: "head", category: categoryOf(idea.c), continued: !starts });
        used += sizes.headers.get(headKey(idea.c, !starts));
      }
      column.push({ kind: "card", idea: idea });
      used += h;
      current = idea.c;
    });
    if (column.length) page.push(column);
    if (page.length) pages.push(page);
    return pages;
  }

  function plan() {
    const area = state.root;
    if (!area || !area.clientHeight) return;
    const width = area.clientWidth, height = area.clientHeight;
    const list = shownIdeas();
    const floor = titleFloor(window.innerHeight);
    const gapPx = floor * 0.6;
    function attempt(font) {
      const columns = Math.max(1, Math.floor((width + gapPx) / (font * COLUMN_EM + gapPx)));
      const columnWidth = (width - gapPx * (columns - 1)) / columns;
      const sizes = measure(list, font, columnWidth);
      return { font: font, columns: columns, columnWidth: columnWidth, pages: pack(list, sizes, columns, height) };
    }
    let best = attempt(floor);
    if (best.pages.length <= 1 && list.length) {
      // Everything fits at the floor: take the largest type that still fits on one screen.
      let low = floor, high = Math.round(floor * MAX_SCALE);
      while (high - low > 1) {
        const middle = Math.round((low + high) / 2);
        const tried = attempt(middle);
        if (tried.pages.length <= 1) { best = tried; low = middle; } else { high = middle; }
      }
    }
    state.layout = best;
    state.font = best.font;
    if (state.page >= best.pages.length) state.page = 0;
  }

  function draw() {
    const area = state.root;
    if (!area || !state.layout) return;
    const layout = state.layout;
    const gap = titleFloor(window.innerHeight) * 0.6;
    const page = layout.pages[state.page] || [];
    const holder = el("div", "wall-page");
    holder.style.fontSize = layout.font + "px";
    holder.style.gap = gap + "px";
    holder.style.gridTemplateColumns = "repeat(" + layout.columns + ", minmax(0, 1fr))";
    page.forEach((entries) => {
      const column = el("div", "wall-column");
      entries.forEach((entry) => column.appendChild(entry.kind === "head"
        ? header(entry.category, entry.continued) : card(entry.idea)));
      holder.appendChild(column);
    });
    area.replaceChildren(holder);
    const counter = document.querySelector("[data-testid=wall-page]");
    if (counter) {
      counter.textContent = layout.pages.length > 1 ? (state.page + 1) + "/" + layout.pages.length : "";
      counter.classList.toggle("paused", !!state.settings.paused);
    }
    const empty = document.querySelector(".wall-empty");
    if (empty) empty.style.display = state.ideas.size ? "none" : "";
  }

  function pageOf(id) {
    const pages = (state.layout && state.layout.pages) || [];
    for (let p = 0; p < pages.length; p++) {
      for (const column of pages[p]) {
        for (const entry of column) if (entry.kind === "card" && entry.idea.id === id) return p;
      }
    }
    return -1;
  }

  // At most one layout every 150 ms: a burst of ideas is laid out a few times, not once per batch.
  function relayout() {
    if (state.relayoutQueued) return;
    state.relayoutQueued = true;
    setTimeout(() => {
      state.relayoutQueued = false;
      if (!state.root || !state.root.isConnected) return;
      plan();
      // A new idea is shown at once: its page comes up and stays while it is highlighted.
      let newest = null;
      state.fresh.forEach((at, id) => { if (!newest || at > newest.at) newest = { id: id, at: at }; });
      if (newest && Date.now() - newest.at < FRESH_MS) {
        const p = pageOf(newest.id);
        if (p >= 0 && p !== state.page) { state.page = p; state.lastTurn = Date.now(); }
      }
      draw();
    }, 150);
  }

  function tick() {
    if (!state.root || !state.root.isConnected || !state.layout) return;
    const now = Date.now();
    let expired = false;
    state.fresh.forEach((at, id) => { if (now - at > FRESH_MS) { state.fresh.delete(id); expired = true; } });
    const pages = state.layout.pages.length;
    const holding = [...state.fresh.values()].some((at) => now - at < FRESH_MS);
    const every = (state.settings.page_seconds || 5) * 1000;
    if (pages > 1 && !state.settings.paused && !holding && now - state.lastTurn >= every) {
      state.page = (state.page + 1) % pages;
      state.lastTurn = now;
      draw();
    } else if (expired) {
      draw();
    }
  }

  window.atelierWall = {
    init: function (rootId, config) {
      state.root = document.getElementById(rootId);
      // Shown after a phase change, resized, or the QR panel hidden: the wall lays itself out again.
      if (state.observer) state.observer.disconnect();
      state.observer = new ResizeObserver(relayout);
      state.observer.observe(state.root);
      state.categories = config.categories;
      state.labels = config.labels;
      state.settings = config.settings || {};
      state.groupsFirst = !!config.groupsFirst;
      state.ideas = new Map();
      state.fresh = new Map();
      state.page = 0;
      state.lastTurn = Date.now();
      relayout();
      if (window.emitEvent) emitEvent("atelier_screen", { height: window.innerHeight });
    },
    // Ideas added or changed ({id, t, o, c, g, b, s}) or taken off the wall ({id, gone: true}).
    put: function (batch, live) {
      const now = Date.now();
      batch.forEach((idea) => {
        forget(idea.id);
        if (idea.gone) { state.ideas.delete(idea.id); state.fresh.delete(idea.id); return; }
        if (live && !state.ideas.has(idea.id)) state.fresh.set(idea.id, now);
        state.ideas.set(idea.id, idea);
      });
      relayout();
    },
    settings: function (settings, groupsFirst) {
      const turned = settings.category !== state.settings.category;
      state.settings = settings;
      if (groupsFirst !== undefined) state.groupsFirst = !!groupsFirst;
      if (turned) state.page = 0;
      state.lastTurn = Date.now();
      relayout();
    },
    relayout: relayout,
    // The pace other paged views keep (the SWOT's quadrants): the facilitator's seconds per page and pause.
    paging: function () {
      return { seconds: state.settings.page_seconds || 5, paused: !!state.settings.paused };
    },
    // For tests and the console's preview: what is on screen now.
    status: function () {
      return { page: state.page, pages: state.layout ? state.layout.pages.length : 0, font: state.font,
               ideas: state.ideas.size };
    },
  };
  window.addEventListener("resize", relayout);
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(relayout);
  setInterval(tick, 500);
})();

// One candidate action per screen: the slide at `index`, or, moving by itself, one slide every `seconds`.
(function () {
  let timer = null;
  window.atelierPresent = function (viewId, index, auto, seconds) {
    const view = document.getElementById(viewId);
    if (!view) return;
    if (timer) clearInterval(timer);
    let current = index;
    function show() {
      const slides = view.querySelectorAll(".present-slide");
      if (!slides.length) return;
      current = ((current % slides.length) + slides.length) % slides.length;
      slides.forEach((slide, n) => slide.classList.toggle("shown", n === current));
    }
    show();
    if (auto) timer = setInterval(() => { current += 1; show(); }, Math.max(3, seconds) * 1000);
  };
})();

// Lists that must fit the screen (vote progress, decisions, summaries, the SWOT's quadrants): when one overflows,
// its type shrinks a step at a time, down to 70 % of the board's size, rather than being cut; the SWOT's quadrants
// shrink to 85 % and then turn pages.
(function () {
  function overflowing(view) {
    if (view.scrollHeight > view.clientHeight + 1) return true;
    return [...view.querySelectorAll(".board-list, .results-ranking, .swot-quadrant")]
      .some((list) => list.scrollHeight > list.clientHeight + 1);
  }
  function fit(view) {
    if (view.style.display === "none" || !view.offsetParent) return;
    let scale = 1;
    // The SWOT's lines turn pages rather than shrink far: at 85 % they are still 20 px at 720 px high.
    const smallest = view.classList.contains("ffom-view") ? 0.85 : 0.7;
    unpage(view);
    view.style.setProperty("--fit", "1em");
    while (overflowing(view) && scale > smallest) {
      scale = Math.round((scale - 0.05) * 100) / 100;
      view.style.setProperty("--fit", scale + "em");
    }
    view.dataset.fit = String(scale);
    page(view);  // the SWOT quadrants still too full turn pages
  }

  // A SWOT quadrant still too full at the smallest type turns pages by itself, as the wall does: "2/3" in its
  // corner, a page every few seconds at the wall's pace (and paused with it), the page of a new item shown at once
  // and held. Items are hidden with their style, which the observer below does not watch: turning a page does
  // not fit the view again.
  const FRESH_MS = 8000;
  const pagers = new Map(); // quadrant → { pages, index, count, turned }
  function unpage(view) {
    view.querySelectorAll(".swot-quadrant[data-page]").forEach((quadrant) => {
      quadrant.querySelectorAll(".swot-item").forEach((item) => { item.style.display = ""; });
      quadrant.removeAttribute("data-page");
    });
  }
  function page(view) {
    view.querySelectorAll(".swot-quadrant").forEach((quadrant) => {
      const list = quadrant.querySelector(".swot-items");
      if (!list) return;
      const known = pagers.get(quadrant);  // kept for every quadrant: one that just filled up shows its new line
      if (quadrant.scrollHeight <= quadrant.clientHeight + 1) {
        pagers.set(quadrant, { pages: [], index: 0, count: list.children.length, turned: Date.now() });
        return;
      }
      const room = quadrant.getBoundingClientRect().bottom - parseFloat(getComputedStyle(quadrant).paddingBottom)
        - list.getBoundingClientRect().top;
      const gap = parseFloat(getComputedStyle(list).rowGap) || 0;
      const items = [...list.querySelectorAll(".swot-item")];
      const pages = [];
      let current = [], used = 0;
      items.forEach((item) => {
        const height = item.getBoundingClientRect().height;
        if (current.length && used + height > room) { pages.push(current); current = []; used = 0; }
        current.push(item);
        used += height + gap;
      });
      if (current.length) pages.push(current);
      const pager = known || { index: 0, count: items.length, turned: Date.now() };
      if (known && items.length > known.count) { pager.index = pages.length - 1; pager.turned = Date.now() + FRESH_MS; }
      pager.pages = pages;
      pager.count = items.length;
      pager.index = Math.min(pager.index, pages.length - 1);
      pagers.set(quadrant, pager);
      show(quadrant, pager);
    });
  }
  function show(quadrant, pager) {
    pager.pages.forEach((items, n) => items.forEach((item) => { item.style.display = n === pager.index ? "" : "none"; }));
    quadrant.dataset.page = (pager.index + 1) + "/" + pager.pages.length;
  }
  function turn() {
    const paging = window.atelierWall && window.atelierWall.paging ? window.atelierWall.paging() : {};
    const every = (paging.seconds || 5) * 1000, now = Date.now();
    pagers.forEach((pager, quadrant) => {
      if (!quadrant.isConnected) { pagers.delete(quadrant); return; }
      if (!quadrant.dataset.page || paging.paused || pager.pages.length < 2 || now - pager.turned < every) return;
      pager.index = (pager.index + 1) % pager.pages.length;
      pager.turned = now;
      show(quadrant, pager);
    });
  }
  setInterval(turn, 500);
  const queued = new Set();
  function queue(view) {
    if (queued.has(view)) return;
    queued.add(view);
    requestAnimationFrame(() => { queued.delete(view); fit(view); });
  }
  const selector = ".vote-view, .decisions-view, .bilan-view, .groupes-view, .resultats-view, .presentation-view, "
    + ".ffom-view";
  const observer = new MutationObserver((records) => {
    records.forEach((record) => {
      const target = record.target.nodeType === 1 ? record.target : record.target.parentElement;
      if (!target) return;
      const view = target.closest(selector);
      if (view) queue(view);
      else target.querySelectorAll(selector).forEach(queue);
    });
  });
  function start() {
    // Content and visibility (NiceGUI hides with a class); never "style", which fit() itself changes.
    observer.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true,
                                      attributeFilter: ["class"] });
    const all = () => document.querySelectorAll(selector).forEach(queue);
    window.addEventListener("resize", all);
    // A board opened (or reloaded) in the middle of a phase: its view is drawn with the page, before any change.
    window.addEventListener("load", all);
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(all);
  }
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
