/* Hookflow dashboard: progressive enhancement for server-rendered pages.
   Every page works without this file. It adds local times, in-place form
   actions, auto-refresh and keyboard shortcuts. All listeners are delegated
   on document, so content swapped into #main keeps working. */
(() => {
  'use strict';

  const doc = document;
  const $ = (sel, root = doc) => root.querySelector(sel);
  const $$ = (sel, root = doc) => Array.from(root.querySelectorAll(sel));

  const meta = $('meta[name="hookflow-base"]');
  const base = ((meta && meta.content) || '/hookflow/dashboard').replace(/\/+$/, '');
  const FLASH_MS = 6000;
  const FOCUSABLE = 'a[href], button, input, select, textarea, summary, [tabindex]';
  const FIELD = 'input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]):not([type=image]), textarea, select';

  let actionsInFlight = 0;
  let refreshCtl = null;   // AbortController of the auto-refresh request in flight
  let lastUpdate = Date.now();
  let nextRefresh = 0;

  /* ---------- times ---------- */

  const lang = doc.documentElement.lang || 'en';
  const dtf = (opts) => {
    try { return new Intl.DateTimeFormat(lang, opts); } catch (_) { return new Intl.DateTimeFormat('en', opts); }
  };
  const HMS = { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' };
  const fmtThisYear = dtf({ month: 'short', day: 'numeric', ...HMS });
  const fmtOtherYear = dtf({ year: 'numeric', month: 'short', day: 'numeric', ...HMS });
  const fmtClock = dtf(HMS);
  const fmtFull = (() => {
    const opts = { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', ...HMS, timeZoneName: 'short' };
    try { return new Intl.DateTimeFormat(lang, { ...opts, fractionalSecondDigits: 3 }); } catch (_) { return dtf(opts); }
  })();
  const zone = (() => {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone || ''; } catch (_) { return ''; }
  })();
  const timeCache = new WeakMap();   // <time> -> { raw, abs }

  function relative(ms, now) {
    const diff = ms - now;
    const s = Math.round(Math.abs(diff) / 1000);
    if (s < 1) return 'just now';
    let n;
    if (s < 60) n = `${s} s`;
    else if (s < 3600) n = `${Math.floor(s / 60)} min`;
    else if (s < 86400) {
      const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
      n = h < 10 && m ? `${h} h ${m} min` : `${h} h`;
    } else if (s < 86400 * 45) n = `${Math.floor(s / 86400)} d`;
    else if (s < 86400 * 365) n = `${Math.floor(s / (86400 * 30.44))} mo`;
    else n = `${Math.floor(s / (86400 * 365.25))} y`;
    return diff > 0 ? `in ${n}` : `${n} ago`;
  }

  function renderTimes(root = doc) {
    const now = Date.now();
    const year = new Date(now).getFullYear();
    for (const el of root.querySelectorAll('time[datetime]')) {
      const raw = el.getAttribute('datetime');
      // Only instants: a bare date or a duration would be shifted or unparsable.
      if (raw.length <= 10) continue;
      const ms = Date.parse(raw);
      if (Number.isNaN(ms)) continue;
      let c = timeCache.get(el);
      if (!c || c.raw !== raw) {
        const d = new Date(ms);
        c = { raw, abs: (d.getFullYear() === year ? fmtThisYear : fmtOtherYear).format(d) };
        timeCache.set(el, c);
        el.title = fmtFull.format(d) + (zone ? ` (${zone})` : '');
      }
      const text = `${c.abs} · ${relative(ms, now)}`;
      if (el.textContent !== text) el.textContent = text;
    }
  }

  /* ---------- flashes ---------- */

  let flashTimer = 0;
  function flash(kind, message) {
    const region = $('#flash');
    if (!region) return;
    const el = doc.createElement('div');
    el.className = `flash flash-${kind}`;
    el.textContent = message;
    region.replaceChildren(el);
    clearTimeout(flashTimer);
    flashTimer = setTimeout(() => el.remove(), FLASH_MS);
  }

  /* ---------- swapping #main ---------- */

  // Elements are matched across a swap by (nearest ancestor id, index inside it),
  // which survives rows being added above, e.g. new steps or runs.
  function keyOf(el, sel, main) {
    const scope = el.parentElement && el.parentElement.closest('[id]');
    const within = scope && scope !== main && main.contains(scope) ? scope : main;
    return { id: within === main ? '' : within.id, index: $$(sel, within).indexOf(el) };
  }
  function findByKey(key, sel, main) {
    const within = key.id ? main.querySelector(`#${CSS.escape(key.id)}`) : main;
    return within ? within.querySelectorAll(sel)[key.index] || null : null;
  }

  const textOf = (el) => el.textContent.trim();

  function focusKey(el, main) {
    if (!el || el === main || !main.contains(el)) return null;
    if (el.id) return { elId: el.id };
    return {
      ...keyOf(el, FOCUSABLE, main),
      tag: el.tagName,
      text: textOf(el),
      href: el.getAttribute('href'),
      action: el.form ? el.form.getAttribute('action') : null
    };
  }

  function restoreFocus(main, fk) {
    const active = doc.activeElement;
    // Focus that lives outside #main (nav, flash…) was not disturbed.
    if (active && active !== doc.body && active !== main && doc.contains(active)) return;
    if (!fk) return;
    let target = fk.elId ? doc.getElementById(fk.elId) : findByKey(fk, FOCUSABLE, main);
    // Only land on the *same* control; never on a different button that took its index.
    if (target && !fk.elId && (target.tagName !== fk.tag || textOf(target) !== fk.text ||
        target.getAttribute('href') !== fk.href ||
        (target.form ? target.form.getAttribute('action') : null) !== fk.action)) target = null;
    if (target && main.contains(target) && !target.disabled) target.focus({ preventScroll: true });
    else main.focus({ preventScroll: true });
  }

  function captureState(main) {
    return {
      open: $$('details[open]', main).map((d) => keyOf(d, 'details', main)),
      scroll: $$('.table-wrap, pre', main).map((el) => [el.scrollLeft, el.scrollTop])
    };
  }

  function restoreState(main, state) {
    for (const key of state.open) {
      const d = findByKey(key, 'details', main);
      if (d) d.open = true;
    }
    $$('.table-wrap, pre', main).forEach((el, i) => {
      const s = state.scroll[i];
      if (s && (s[0] || s[1])) { el.scrollLeft = s[0]; el.scrollTop = s[1]; }
    });
  }

  // Dirty-field tracking: compare with values seen at load/swap time rather than
  // defaultValue, which browsers normalise differently (e.g. datetime-local).
  const pristine = new WeakMap();
  const valueOf = (el) => el instanceof HTMLSelectElement
    ? Array.from(el.options, (o) => (o.selected ? 1 : 0)).join('')
    : (el.type === 'checkbox' || el.type === 'radio') ? String(el.checked) : el.value;
  function snapshot(root) {
    for (const el of $$(FIELD, root)) pristine.set(el, valueOf(el));
  }
  const isDirty = (root) => $$(FIELD, root).some((el) => pristine.has(el) && pristine.get(el) !== valueOf(el));

  function swapMain(page, fk) {
    const main = $('#main');
    const next = page && page.getElementById('main');
    if (!main || !next) return false;
    const state = captureState(main);
    const active = doc.activeElement;
    if (fk === undefined) fk = focusKey(active, main);
    main.replaceChildren(...next.childNodes);
    // The server may stop (or start) refreshing, e.g. once a run has finished.
    if (next.hasAttribute('data-refresh')) main.setAttribute('data-refresh', next.getAttribute('data-refresh'));
    else main.removeAttribute('data-refresh');
    if (page.title) doc.title = page.title;
    restoreState(main, state);
    restoreFocus(main, fk);
    renderTimes(main);
    snapshot(main);
    lastUpdate = Date.now();
    scheduleRefresh();
    noteUpdated(false);
    return true;
  }

  const parse = (html) => new DOMParser().parseFromString(html, 'text/html');

  /* ---------- action forms ---------- */

  function setBusy(form, buttons, busy) {
    for (const el of [form, ...buttons]) {
      if (busy) el.setAttribute('aria-busy', 'true'); else el.removeAttribute('aria-busy');
      if (el !== form) el.disabled = busy;
    }
  }

  async function runAction(form, submitter) {
    const main = $('#main');
    const url = new URL(form.getAttribute('action') || location.href, location.href);
    const body = new URLSearchParams(new FormData(form));
    if (submitter && submitter.name) body.append(submitter.name, submitter.value);
    const fk = main ? focusKey(main.contains(doc.activeElement) ? doc.activeElement : submitter, main) : null;
    const buttons = $$('button, input[type=submit]', form);
    const done = form.dataset.done || (submitter && submitter.dataset.done) || 'Done';

    setBusy(form, buttons, true);
    actionsInFlight++;
    if (refreshCtl) refreshCtl.abort();   // its result would overwrite ours
    try {
      const res = await fetch(url.href, {
        method: 'POST',
        body,
        credentials: 'same-origin',
        headers: { 'X-Requested-With': 'fetch' },
        redirect: 'follow'
      });
      const html = await res.text();
      if (res.ok) {
        const dest = new URL(res.url || url.href, location.href);
        if (dest.pathname + dest.search !== location.pathname + location.search) { location.assign(dest.href); return; }
        if (swapMain(parse(html), fk)) flash('ok', done);
        else location.assign(dest.href);
      } else {
        const page = parse(html);
        const err = $('#main .flash-error', page) || $('.flash-error', page);
        const msg = (err && textOf(err)) ||
          (res.statusText ? `${res.status} ${res.statusText}` : `Request failed (HTTP ${res.status})`);
        flash('error', msg);
      }
    } catch (_) {
      flash('error', 'Network error: the server could not be reached. Nothing was changed on this page.');
    } finally {
      actionsInFlight--;
      setBusy(form, buttons, false);
    }
  }

  // A filter's local times are read in the viewer's zone: the form says which (minutes east of UTC).
  doc.addEventListener('submit', (ev) => {
    const tz = ev.target instanceof HTMLFormElement && ev.target.querySelector('input[type=hidden][name=tz]');
    if (tz) tz.value = String(-new Date().getTimezoneOffset());
  }, true);

  doc.addEventListener('submit', (ev) => {
    const form = ev.target;
    if (ev.defaultPrevented || !(form instanceof HTMLFormElement) || !form.hasAttribute('data-action')) return;
    ev.preventDefault();
    if (form.getAttribute('aria-busy') === 'true') return;   // no double submits
    const question = form.getAttribute('data-confirm');
    if (question && !window.confirm(question)) return;
    runAction(form, ev.submitter || null);
  });

  /* ---------- auto-refresh ---------- */

  function refreshSeconds() {
    const main = $('#main');
    const n = main ? parseFloat(main.getAttribute('data-refresh')) : NaN;
    return n > 0 ? Math.max(n, 1) : 0;
  }

  function scheduleRefresh() {
    const s = refreshSeconds();
    nextRefresh = s ? Date.now() + s * 1000 : 0;
  }

  // Anything the user is in the middle of that a swap would destroy.
  function userIsBusy(main) {
    const active = doc.activeElement;
    if (active && main.contains(active) && (active.matches(FIELD) || active.isContentEditable)) return true;
    if (isDirty(main)) return true;
    const sel = window.getSelection && window.getSelection();
    return !!(sel && !sel.isCollapsed && sel.anchorNode && main.contains(sel.anchorNode));
  }

  function noteUpdated(stale) {
    for (const el of $$('.refresh-note')) {
      el.textContent = `Updated ${fmtClock.format(lastUpdate)}`;
      el.classList.toggle('is-stale', stale);
      el.title = stale ? 'The last automatic update failed; retrying.' : '';
    }
  }

  async function refresh() {
    const main = $('#main');
    const started = location.href;
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), 20000);
    refreshCtl = ctl;
    scheduleRefresh();
    try {
      const res = await fetch(started, {
        credentials: 'same-origin',
        headers: { 'X-Requested-With': 'fetch' },
        cache: 'no-store',
        signal: ctl.signal
      });
      if (!res.ok || new URL(res.url || started).pathname !== location.pathname) throw new Error('refresh');
      const html = await res.text();
      // Re-check: the user may have started typing or acting while we waited.
      if (ctl.signal.aborted || location.href !== started || actionsInFlight || userIsBusy(main)) return;
      if (!swapMain(parse(html))) throw new Error('refresh');
    } catch (_) {
      if (!ctl.signal.aborted) noteUpdated(true);
    } finally {
      clearTimeout(timer);
      if (refreshCtl === ctl) refreshCtl = null;
    }
  }

  function tick() {
    if (!nextRefresh || Date.now() < nextRefresh) return;
    const main = $('#main');
    if (!main || doc.hidden || refreshCtl || actionsInFlight || userIsBusy(main)) return;
    refresh();
  }

  /* ---------- keyboard shortcuts ---------- */

  const GOTO = { o: '/', r: '/runs', w: '/workflows', s: '/schedules', d: '/dead-letters' };
  let gPressedAt = 0;

  const isTyping = (el) => el instanceof Element && (el.matches(FIELD) || el.isContentEditable);

  doc.addEventListener('keydown', (ev) => {
    if (ev.defaultPrevented || ev.ctrlKey || ev.metaKey || ev.altKey || ev.isComposing) return;
    if (isTyping(ev.target)) {
      if (ev.key === 'Escape' && ev.target.matches('input[name="prefix"]')) ev.target.blur();
      return;
    }
    const key = ev.key;
    if (gPressedAt && Date.now() - gPressedAt < 1500) {
      gPressedAt = 0;
      const path = GOTO[key.toLowerCase()];
      if (path) { ev.preventDefault(); location.assign(base + path); return; }
    }
    gPressedAt = 0;
    if (key === '/') {
      const input = $('input[name="prefix"]');
      if (input) { ev.preventDefault(); input.focus(); input.select(); }
    } else if (key === 'g' && !ev.shiftKey) {
      gPressedAt = Date.now();
    }
  });

  /* ---------- misc delegated behaviour ---------- */

  doc.addEventListener('change', (ev) => {
    const el = ev.target;
    if (!(el instanceof HTMLSelectElement) || !el.hasAttribute('data-autosubmit') || !el.form) return;
    // requestSubmit fires 'submit', so data-action forms still go through fetch.
    if (typeof el.form.requestSubmit === 'function') el.form.requestSubmit(); else el.form.submit();
  });

  doc.addEventListener('click', (ev) => {
    const f = ev.target instanceof Element && ev.target.closest('#flash .flash');
    if (f) f.remove();
  });

  doc.addEventListener('visibilitychange', () => {
    if (!doc.hidden) { renderTimes(); tick(); }
  });

  function init() {
    const main = $('#main');
    renderTimes();
    if (main) snapshot(main);
    scheduleRefresh();
    if ($('.refresh-note')) noteUpdated(false);
    setInterval(() => { if (!doc.hidden) renderTimes(); }, 5000);
    setInterval(tick, 1000);
  }

  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', init);
  else init();
})();
