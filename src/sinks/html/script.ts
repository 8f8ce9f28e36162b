// The HTML report's script: plain DOM, no framework. It reads the findings embedded once as JSON,
// draws the overview, a fleet timeline on a date axis (zoom, drag to pick a time range), a
// sortable list filtered by severity, status, host, tool, text and time range and rendered a page
// at a time, and one finding's detail on demand: its timeline, steps with each record and the raw
// record behind it, ATT&CK techniques, explanation and remediation. The filtered findings export
// as CSV or JSON. Finding text comes from hostile logs, so every string reaches the page through
// textContent or setAttribute, never as HTML, and every text shown passes through shown(), which
// escapes the characters terminalSafe escapes (controls, bidi overrides, zero-width characters)
// but line breaks, so no value can disguise itself on the page either.
import { UNSAFE } from '../terminal-text.ts';

export const REPORT_JS = `
'use strict';
(function () {
  var DATA = JSON.parse(document.getElementById('report-data').textContent);
  var SEV = ['critical', 'high', 'medium', 'low', 'info'];
  var STEPS = ['execution', 'persistence', 'egress', 'control'];
  var T = DATA.texts;
  var PAGE = 200;
  var MAX_LANES = 24;
  var all = DATA.findings.map(function (f, i) { f._attack = DATA.attack[i] || []; return f; });
  var byId = new Map();
  all.forEach(function (f) { byId.set(f.id, f); });
  var span = all.reduce(function (s, f) { return [Math.min(s[0], f.firstSeen), Math.max(s[1], f.lastSeen)]; }, [Infinity, -Infinity]);
  if (!isFinite(span[0])) span = [0, 1];
  if (span[1] - span[0] < 60000) span = [span[0] - 30000, span[1] + 30000];
  function fresh() { return { sev: '', status: '', host: '', tool: '', q: '', from: null, to: null, shown: PAGE, sort: 'severity', dir: 1 }; }
  var state = fresh();
  var view = span.slice();
  var filtered = all;
  var UNSAFE = new RegExp(${JSON.stringify(UNSAFE.source)}, 'g');

  function shown(s) {
    return String(s).replace(UNSAFE, function (c) {
      var n = c.charCodeAt(0);
      if (n === 10) return c;
      if (n === 13) return '\\\\r';
      if (n === 9) return '\\\\t';
      return n < 256 ? '\\\\x' + (n < 16 ? '0' : '') + n.toString(16) : '\\\\u{' + n.toString(16) + '}';
    });
  }

  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) {
      if (attrs[k] == null) continue;
      if (k === 'class') e.className = attrs[k];
      else if (k === 'text') e.textContent = shown(attrs[k]);
      else if (k.slice(0, 2) === 'on') e.addEventListener(k.slice(2), attrs[k]);
      else e.setAttribute(k, attrs[k]);
    }
    (kids || []).forEach(function (c) {
      if (c == null) return;
      e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(shown(c)) : c);
    });
    return e;
  }
  function svg(tag, attrs, kids) {
    var e = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    (kids || []).forEach(function (c) { e.appendChild(typeof c === 'string' ? document.createTextNode(shown(c)) : c); });
    return e;
  }
  function iso(t) { return t == null || !isFinite(t) ? '-' : new Date(t).toISOString().replace('.000Z', 'Z'); }
  function clock(t) { return new Date(t).toISOString().slice(11, 19); }
  function badge(sev) { return el('span', { class: 'badge b-' + sev, text: sev }); }
  function toolName(f) { return f.agent.tool ? f.agent.tool.name : 'unknown tool'; }
  function stepMarks(f) { return STEPS.map(function (s, i) { return f.steps.some(function (x) { return x.step === s && x.seen; }) ? 'S' + (i + 1) : '--'; }).join(' '); }
  function srcRef(s) {
    return s.file + (s.line != null ? ':' + s.line : s.offset != null ? ' @' + s.offset : '') +
      (s.record ? ' record ' + s.record : '') + ' (' + s.format + (s.eventId ? ' ' + s.eventId : '') + ')';
  }
  function rawKey(s) { return s.file + '\\n' + (s.line != null ? s.line : '@' + (s.offset != null ? s.offset : '')); }
  function countBy(list, key) {
    var m = new Map();
    list.forEach(function (f) { var k = key(f); m.set(k, (m.get(k) || 0) + 1); });
    return Array.from(m.entries()).sort(function (a, b) { return b[1] - a[1] || (a[0] < b[0] ? -1 : 1); });
  }
  function link(href, text) { return el('a', { href: href, target: '_blank', rel: 'noopener noreferrer', text: text }); }

  // ---- overview ----
  function renderOverview() {
    var root = document.getElementById('overview');
    root.textContent = '';
    var m = new Map(countBy(all, function (f) { return f.severity; }));
    root.appendChild(el('div', { class: 'cards', id: 'sev-cards' }, [
      el('div', { class: 'card' }, [el('div', { class: 'n', text: all.length }), 'findings']),
    ].concat(SEV.map(function (s) {
      return el('div', {
        class: 'card sev sev-' + s + (state.sev === s ? ' on' : ''), 'data-sev': s, title: 'show only ' + s,
        onclick: function () { setFilter('sev', state.sev === s ? '' : s); },
      }, [el('div', { class: 'n', text: m.get(s) || 0 }), s]);
    }))));
    var st = countBy(all, function (f) { return f.status; }).map(function (e) { return e[1] + ' ' + e[0]; }).join(', ');
    root.appendChild(el('p', { class: 'muted', text: 'By status: ' + (st || 'none') }));
    root.appendChild(el('div', { class: 'grid' }, [
      topTable('By host', countBy(all, function (f) { return f.host; }), 'host'),
      topTable('By tool', countBy(all, toolName), 'tool'),
      topTable('By analytic', countBy(all, function (f) { return f.analytic + ' (' + f.platform + ')'; }), null),
    ]));
  }
  function topTable(title, rows, filterKey) {
    var max = rows.length ? rows[0][1] : 1;
    var body = rows.slice(0, 12).map(function (r) {
      return el('tr', filterKey ? {
        class: 'clickable', title: 'show only this ' + filterKey,
        onclick: function () { setFilter(filterKey, state[filterKey] === r[0] ? '' : r[0]); },
      } : null, [
        el('td', { class: 'wrap', text: r[0] }),
        el('td', { class: 'num', text: r[1] }),
        el('td', { style: 'width:35%' }, [el('div', { class: 'bar', style: 'width:' + Math.max(2, Math.round(100 * r[1] / max)) + '%' })]),
      ]);
    });
    var more = rows.length > 12 ? el('p', { class: 'muted', text: '+' + (rows.length - 12) + ' more' }) : null;
    return el('div', { class: 'panel' }, [el('h2', { text: title }), el('table', null, [el('tbody', null, body)]), more]);
  }

  // ---- fleet timeline: findings on a date axis, one lane per host ----
  var STEP_MS = [1e3, 5e3, 15e3, 6e4, 3e5, 9e5, 36e5, 6 * 36e5, 864e5, 7 * 864e5, 30 * 864e5, 365 * 864e5];
  function ticks(a, b) {
    var want = (b - a) / 6, step = STEP_MS[STEP_MS.length - 1];
    for (var i = 0; i < STEP_MS.length; i++) if (STEP_MS[i] >= want) { step = STEP_MS[i]; break; }
    var out = [];
    for (var t = Math.ceil(a / step) * step; t <= b && out.length < 20; t += step) out.push(t);
    return { list: out, step: step };
  }
  function tickLabel(t, step) {
    var s = new Date(t).toISOString();
    if (step >= 864e5) return s.slice(0, 10);
    if (step >= 6e4) return s.slice(5, 10) + ' ' + s.slice(11, 16);
    return s.slice(11, 19);
  }
  var FW = 1000, FL = 130, FR = 10, FTOP = 8, LANE = 16;
  function fx(t) { return FL + (FW - FL - FR) * (t - view[0]) / Math.max(1, view[1] - view[0]); }
  function ft(x) { return view[0] + (x - FL) * (view[1] - view[0]) / (FW - FL - FR); }
  function renderFleet() {
    var root = document.getElementById('fleet-chart');
    root.textContent = '';
    var lanes = countBy(filtered, function (f) { return f.host; }).map(function (e) { return e[0]; });
    var shownLanes = lanes.slice(0, MAX_LANES);
    var laneOf = new Map(shownLanes.map(function (h, i) { return [h, i]; }));
    var H = FTOP + Math.max(1, shownLanes.length) * LANE + 30;
    var g = svg('svg', { class: 'fleet', id: 'fleet-svg', viewBox: '0 0 ' + FW + ' ' + H, preserveAspectRatio: 'none', role: 'img', style: 'height:' + H + 'px' });
    g.appendChild(svg('title', {}, ['findings of ' + lanes.length + ' hosts on a date axis; drag to pick a time range']));
    shownLanes.forEach(function (h, i) {
      var y = FTOP + i * LANE + LANE / 2;
      g.appendChild(svg('line', { class: 'lane', x1: FL, x2: FW - FR, y1: y, y2: y }));
      g.appendChild(svg('text', { x: 4, y: y + 3 }, [h.length > 20 ? h.slice(0, 19) + '\\u2026' : h]));
    });
    var axisY = FTOP + Math.max(1, shownLanes.length) * LANE + 4;
    g.appendChild(svg('line', { class: 'axis', x1: FL, x2: FW - FR, y1: axisY, y2: axisY }));
    var tk = ticks(view[0], view[1]);
    tk.list.forEach(function (t) {
      var x = fx(t);
      g.appendChild(svg('line', { class: 'tick', x1: x, x2: x, y1: FTOP, y2: axisY + 4 }));
      g.appendChild(svg('text', { class: 'tick-label', x: x - 30, y: axisY + 18 }, [tickLabel(t, tk.step)]));
    });
    var drawn = 0;
    filtered.forEach(function (f) {
      var lane = laneOf.get(f.host);
      if (lane == null || f.lastSeen < view[0] || f.firstSeen > view[1]) return;
      var x0 = Math.max(FL, fx(f.firstSeen)), x1 = Math.min(FW - FR, fx(f.lastSeen));
      var r = svg('rect', { class: 'f f-' + f.severity, x: x0, y: FTOP + lane * LANE + 3, width: Math.max(3, x1 - x0), height: LANE - 6, 'data-id': f.id },
        [svg('title', {}, [f.title + ' ' + iso(f.firstSeen) + ' .. ' + iso(f.lastSeen)])]);
      r.addEventListener('click', function (ev) { ev.stopPropagation(); location.hash = 'f=' + encodeURIComponent(f.id); });
      g.appendChild(r);
      drawn++;
    });
    var brush = svg('rect', { class: 'brush', x: 0, y: FTOP, width: 0, height: axisY - FTOP, visibility: 'hidden' });
    g.appendChild(brush);
    attachBrush(g, brush);
    g.addEventListener('wheel', function (ev) {
      ev.preventDefault();
      var box = g.getBoundingClientRect();
      zoom(ev.deltaY < 0 ? 0.5 : 2, ft((ev.clientX - box.left) * FW / box.width));
    }, { passive: false });
    root.appendChild(g);
    document.getElementById('fleet-info').textContent = iso(view[0]) + ' .. ' + iso(view[1]) + ' \\u00b7 ' + drawn + ' findings drawn' +
      (lanes.length > MAX_LANES ? ' \\u00b7 ' + MAX_LANES + ' of ' + lanes.length + ' hosts (most findings first)' : '');
  }
  function attachBrush(g, brush) {
    var start = null;
    function at(ev) { var box = g.getBoundingClientRect(); return Math.min(FW - FR, Math.max(FL, (ev.clientX - box.left) * FW / box.width)); }
    g.addEventListener('mousedown', function (ev) { if (ev.button !== 0) return; start = at(ev); brush.setAttribute('x', start); brush.setAttribute('width', 0); brush.setAttribute('visibility', 'visible'); ev.preventDefault(); });
    g.addEventListener('mousemove', function (ev) { if (start == null) return; var x = at(ev); brush.setAttribute('x', Math.min(start, x)); brush.setAttribute('width', Math.abs(x - start)); });
    window.addEventListener('mouseup', function (ev) {
      if (start == null) return;
      var x = at(ev), a = Math.min(start, x), b = Math.max(start, x);
      start = null;
      brush.setAttribute('visibility', 'hidden');
      if (b - a < 4) return;
      setRange(Math.round(ft(a)), Math.round(ft(b)));
    });
  }
  function zoom(factor, center) {
    var c = center == null ? (view[0] + view[1]) / 2 : center;
    var w = Math.max(1000, (view[1] - view[0]) * factor);
    view = [c - w / 2, c + w / 2];
    renderFleet();
  }
  function setRange(from, to) {
    state.from = from; state.to = to;
    if (from != null && to != null) view = [from, to];
    document.getElementById('from').value = from == null ? '' : toInput(from);
    document.getElementById('to').value = to == null ? '' : toInput(to);
    state.shown = PAGE;
    applyFilter();
  }
  function toInput(t) { return new Date(t).toISOString().slice(0, 19); }
  function fromInput(v) { if (!v) return null; var t = Date.parse(v.length <= 16 ? v + ':00Z' : v + 'Z'); return isFinite(t) ? t : null; }

  // ---- list ----
  var SORTS = {
    severity: function (a, b) { return SEV.indexOf(a.severity) - SEV.indexOf(b.severity) || b.score - a.score || a.firstSeen - b.firstSeen; },
    score: function (a, b) { return b.score - a.score || a.firstSeen - b.firstSeen; },
    title: function (a, b) { return a.title < b.title ? -1 : a.title > b.title ? 1 : 0; },
    host: function (a, b) { return a.host < b.host ? -1 : a.host > b.host ? 1 : a.firstSeen - b.firstSeen; },
    tool: function (a, b) { var x = toolName(a), y = toolName(b); return x < y ? -1 : x > y ? 1 : a.firstSeen - b.firstSeen; },
    first: function (a, b) { return a.firstSeen - b.firstSeen; },
  };
  function setFilter(k, v) { state[k] = v; state.shown = PAGE; applyFilter(); renderOverview(); }
  function applyFilter() {
    var q = state.q.toLowerCase();
    filtered = all.filter(function (f) {
      if (state.sev && f.severity !== state.sev) return false;
      if (state.status && f.status !== state.status) return false;
      if (state.host && f.host !== state.host) return false;
      if (state.tool && toolName(f) !== state.tool) return false;
      if (state.from != null && f.lastSeen < state.from) return false;
      if (state.to != null && f.firstSeen > state.to) return false;
      if (q) {
        var hay = (f.id + ' ' + f.title + ' ' + f.host + ' ' + (f.user || '') + ' ' + toolName(f) + ' ' + f.agent.images.join(' ')).toLowerCase();
        if (hay.indexOf(q) < 0) return false;
      }
      return true;
    });
    var cmp = SORTS[state.sort];
    filtered.sort(function (a, b) { return state.dir * cmp(a, b); });
    document.getElementById('sev-filter').value = state.sev;
    var active = ['host', 'tool'].filter(function (k) { return state[k]; }).map(function (k) { return k + ' = ' + state[k]; });
    if (state.from != null || state.to != null) active.push('time ' + iso(state.from) + ' .. ' + iso(state.to));
    document.getElementById('active').textContent = active.length ? shown('also: ' + active.join(', ') + ' ') : '';
    document.getElementById('clear').hidden = !(state.sev || state.status || state.host || state.tool || state.q || state.from != null || state.to != null);
    Array.prototype.forEach.call(document.querySelectorAll('#list th[data-sort]'), function (th) {
      var on = th.getAttribute('data-sort') === state.sort;
      th.setAttribute('aria-sort', on ? (state.dir > 0 ? 'ascending' : 'descending') : 'none');
    });
    document.getElementById('sort-by').value = state.sort + ':' + state.dir;
    renderList();
    renderFleet();
  }
  function renderList() {
    var tbody = document.getElementById('rows');
    tbody.textContent = '';
    var cur = currentId();
    var frag = document.createDocumentFragment();
    filtered.slice(0, state.shown).forEach(function (f) {
      frag.appendChild(el('tr', {
        class: 'clickable' + (f.id === cur ? ' sel' : ''), 'data-id': f.id,
        onclick: function () { location.hash = 'f=' + encodeURIComponent(f.id); },
      }, [
        el('td', null, [badge(f.severity)]),
        el('td', { class: 'num', text: f.score }),
        el('td', { class: 'wrap' }, [el('div', { text: f.title }), el('div', { class: 'status', text: f.host + ' \\u00b7 ' + stepMarks(f) + (f.status !== 'alert' ? ' \\u00b7 ' + f.status : '') })]),
        el('td', { class: 'col-tool', text: toolName(f) }),
        el('td', { class: 'status col-time', text: iso(f.firstSeen) }),
      ]));
    });
    tbody.appendChild(frag);
    document.getElementById('count').textContent = 'showing ' + Math.min(state.shown, filtered.length) + ' of ' + filtered.length + ' findings';
    document.getElementById('more').hidden = filtered.length <= state.shown;
  }

  // ---- export of the filtered findings ----
  var CSV_COLUMNS = ['id', 'severity', 'status', 'score', 'host', 'tool', 'analytic', 'steps', 'first_seen', 'last_seen', 'user', 'title'];
  function csvCell(v) {
    var s = v == null ? '' : String(v);
    if (/^[=+\\-@\\t\\r]/.test(s)) s = "'" + s;
    return /[",\\r\\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  function exportRows() {
    return filtered.map(function (f) {
      return [f.id, f.severity, f.status, f.score, f.host, toolName(f), f.analytic, stepMarks(f), iso(f.firstSeen), iso(f.lastSeen), f.user || '', f.title];
    });
  }
  function download(name, type, text) {
    var url = URL.createObjectURL(new Blob([text], { type: type }));
    var a = el('a', { href: url, download: name });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }
  function exportCsv() {
    download('ratchain-findings.csv', 'text/csv', [CSV_COLUMNS].concat(exportRows()).map(function (r) { return r.map(csvCell).join(','); }).join('\\n') + '\\n');
  }
  function exportJson() {
    download('ratchain-findings.json', 'application/json', JSON.stringify(filtered.map(function (f) { var c = Object.assign({}, f); delete c._attack; return c; }), null, 2) + '\\n');
  }

  // ---- detail ----
  function currentId() {
    var m = /^#f=(.+)$/.exec(location.hash);
    return m ? decodeURIComponent(m[1]) : '';
  }
  function renderDetail() {
    var root = document.getElementById('detail');
    root.textContent = '';
    var f = byId.get(currentId());
    Array.prototype.forEach.call(document.querySelectorAll('#rows tr'), function (tr) {
      tr.classList.toggle('sel', !!f && tr.getAttribute('data-id') === f.id);
    });
    if (!f) { root.appendChild(el('div', { class: 'empty', text: 'Pick a finding to see its timeline, evidence, explanation and remediation.' })); return; }
    var a = f.agent;
    root.appendChild(el('div', null, [badge(f.severity), ' ', el('span', { class: 'status', text: f.status + ' \\u00b7 score ' + f.score + ' \\u00b7 confidence ' + f.confidence })]));
    root.appendChild(el('h3', { id: 'detail-title', text: f.title }));
    if (f.summary) root.appendChild(el('p', { text: f.summary }));
    var kv = [
      ['id', f.id + (f.revision ? ' (revision ' + f.revision + ')' : '')],
      ['analytic', f.strategy + ' ' + f.analytic + ', ' + f.technique.id + ' ' + f.technique.name + ' (' + f.technique.tactic + ')'],
      ['host', f.host + ' (' + f.platform + ')'], ['user', f.user], ['time', iso(f.firstSeen) + ' .. ' + iso(f.lastSeen)],
      ['tool', a.tool ? a.tool.name + ' (' + a.tool.catalog + ' catalogue, by ' + a.tool.by.replace(/_/g, ' ') + ')' : 'not in the catalogue'],
      ['images', a.images.join('\\n')], ['agent key', a.key], ['linked by', a.links.join('; ')],
      ['hashes', a.hashes.join('\\n')], ['approved by', a.approvedBy],
    ].filter(function (r) { return r[1]; });
    root.appendChild(el('dl', { class: 'kv' }, kv.reduce(function (acc, r) {
      acc.push(el('dt', { text: r[0] }), el('dd', { text: r[1], style: 'white-space:pre-wrap' }));
      return acc;
    }, [])));
    root.appendChild(el('h2', { text: 'Timeline' }));
    root.appendChild(timeline(f));
    root.appendChild(el('h2', { text: 'Steps and evidence' }));
    var seen = f.steps.filter(function (s) { return s.seen; }).sort(function (x, y) { return x.first - y.first; });
    seen.concat(f.steps.filter(function (s) { return !s.seen; })).forEach(function (s) { root.appendChild(stepBlock(f, s)); });
    if (f.egress.length) root.appendChild(destinations(f));
    root.appendChild(attackBlock(f));
    root.appendChild(explanation(f));
    root.appendChild(remediation(f));
    root.scrollTop = 0;
  }
  function destinations(f) {
    return el('div', { class: 'scroll' }, [el('h2', { text: 'Destinations' }), el('table', null, [
      el('thead', null, [el('tr', null, ['destination', 'connections', 'longest s', 'bytes out', 'bytes in'].map(function (h, i) { return el('th', { text: h, class: i > 1 ? 'narrow-hide' : null }); }))]),
      el('tbody', null, f.egress.map(function (d) {
        return el('tr', null, [
          el('td', { class: 'wrap', text: (d.name ? d.name + ' ' : '') + d.ip + (d.port != null ? ':' + d.port : '') + (d.hostLevel ? ' (flow only)' : '') }),
          el('td', { class: 'num', text: d.connections }), el('td', { class: 'num narrow-hide', text: d.durationSec != null ? d.durationSec : '' }),
          el('td', { class: 'num narrow-hide', text: d.bytesOut != null ? d.bytesOut : '' }), el('td', { class: 'num narrow-hide', text: d.bytesIn != null ? d.bytesIn : '' }),
        ]);
      }))])]);
  }
  function rawBlock(e, id) {
    var r = DATA.raw[rawKey(e.src)];
    var pre = el('pre', { class: 'raw', id: id, hidden: 'hidden' }, [r ? (r.note ? '(' + r.note + ')' : r.text + (r.truncated ? '\\n\\u2026 (cut)' : '')) : '(the raw record was not read for this report)']);
    var btn = el('button', { class: 'raw-btn', type: 'button', 'aria-controls': id, text: 'raw record',
      onclick: function () { pre.hidden = !pre.hidden; btn.textContent = pre.hidden ? 'raw record' : 'hide raw record'; } });
    return [btn, pre];
  }
  function stepBlock(f, s) {
    var label = T.stepLabel[s.step];
    if (!s.seen) {
      return el('div', { class: 'step missing', id: 'step-' + s.step }, [
        el('b', { text: label + ': missing' }), el('div', { text: s.summary }),
        el('div', { class: 'why', text: 'What that means: ' + T.whyMissing[s.step] }),
      ]);
    }
    var evs = s.evidence.map(function (e, i) {
      return el('div', { class: 'ev', id: 'ev-' + s.step + '-' + i }, [iso(e.time) + '  ' + srcRef(e.src) + '\\n' + e.summary, el('div', null, rawBlock(e, 'raw-' + s.step + '-' + i))]);
    });
    var untold = s.count - s.evidence.length;
    if (untold > 0) evs.push(el('div', { class: 'muted', text: untold + ' more records supported this step (evidence is capped)' }));
    return el('div', { class: 'step seen', id: 'step-' + s.step }, [
      el('b', { text: label }), el('span', { class: 'status', text: '  ' + iso(s.first) + (s.last !== s.first ? ' .. ' + iso(s.last) : '') + ', ' + s.count + ' record' + (s.count === 1 ? '' : 's') }),
      el('div', { text: s.summary }),
      s.link ? el('div', { class: 'why', text: 'Tied to the agent by: ' + s.link }) : null,
      el('details', { class: 'evidence' }, [el('summary', { text: 'evidence (' + s.evidence.length + ')' })].concat(evs)),
    ]);
  }
  function attackBlock(f) {
    var box = el('div', { id: 'attack' }, [el('h2', { text: 'ATT&CK' })]);
    var ul = el('ul');
    f._attack.forEach(function (id) {
      var t = DATA.techniques[id];
      ul.appendChild(el('li', null, [link(t.url, id + ' ' + t.name), el('span', { class: 'muted', text: ' \\u00b7 ' + t.tactic + ' \\u00b7 ' + t.why })]));
    });
    ul.appendChild(el('li', null, [link(DATA.strategyUrl, 'Detection strategy ' + f.strategy + ', analytic ' + f.analytic)]));
    box.appendChild(ul);
    return box;
  }
  function timeline(f) {
    var W = 800, H = 150, L = 120, R = 16, top = 14, lane = 28;
    var t0 = f.firstSeen, t1 = f.lastSeen;
    f.steps.forEach(function (s) { s.evidence.forEach(function (e) { t0 = Math.min(t0, e.time); t1 = Math.max(t1, e.time); }); });
    var sp = Math.max(1, t1 - t0);
    function x(t) { return L + (W - L - R) * (t - t0) / sp; }
    var g = svg('svg', { class: 'timeline', viewBox: '0 0 ' + W + ' ' + H, preserveAspectRatio: 'none', role: 'img' });
    g.appendChild(svg('title', {}, ['steps of ' + f.id + ' on a time axis']));
    STEPS.forEach(function (sid, i) {
      var y = top + i * lane + lane / 2;
      var s = f.steps.find(function (z) { return z.step === sid; });
      g.appendChild(svg('line', { class: 'lane', x1: L, x2: W - R, y1: y, y2: y }));
      g.appendChild(svg('text', { x: 4, y: y + 3 }, [T.stepLabel[sid] + (s && s.seen ? '' : ' (missing)')]));
      if (!s || !s.seen) return;
      g.appendChild(svg('line', { class: 'span', x1: x(s.first), x2: x(s.last != null ? s.last : s.first), y1: y, y2: y }));
      s.evidence.forEach(function (e, j) {
        var c = svg('circle', { cx: x(e.time), cy: y, r: 5, 'data-ev': sid + '-' + j }, [svg('title', {}, [iso(e.time) + ' ' + e.summary])]);
        c.addEventListener('click', function () { showEvidence(sid, j); });
        g.appendChild(c);
      });
    });
    var ay = top + 4 * lane + 8;
    g.appendChild(svg('line', { class: 'lane', x1: L, x2: W - R, y1: ay, y2: ay }));
    [0, 0.5, 1].forEach(function (p) {
      g.appendChild(svg('text', { x: L + (W - L - R) * p - (p === 1 ? 50 : p === 0.5 ? 25 : 0), y: ay + 14 }, [clock(t0 + sp * p)]));
    });
    return g;
  }
  function showEvidence(step, j) {
    var block = document.getElementById('step-' + step);
    if (!block) return;
    var d = block.querySelector('details');
    if (d) d.open = true;
    Array.prototype.forEach.call(document.querySelectorAll('.ev.hl'), function (n) { n.classList.remove('hl'); });
    var ev = document.getElementById('ev-' + step + '-' + j);
    if (ev) { ev.classList.add('hl'); ev.scrollIntoView({ block: 'nearest' }); }
  }
  function explanation(f) {
    var box = el('div', { id: 'explanation' }, [el('h2', { text: 'Explanation' })]);
    box.appendChild(el('p', { text: f.stepCount + ' of 4 steps, ' + (f.inOrder ? 'in the canonical order (start, persistence, egress, control).' : 'not in the canonical order (real agents often connect before they install).') }));
    var ul = el('ul');
    f.steps.forEach(function (s) {
      ul.appendChild(el('li', { text: T.stepLabel[s.step] + (s.seen ? ' counts because ' + T.whyStep[s.step] + '.' : ' is missing: ' + T.whyMissing[s.step] + '.') }));
    });
    box.appendChild(ul);
    var sum = 0;
    var rows = f.reasons.map(function (r) {
      sum += r.delta;
      return el('tr', null, [
        el('td', { class: 'num ' + (r.delta > 0 ? 'plus' : r.delta < 0 ? 'minus' : ''), text: (r.delta > 0 ? '+' : '') + r.delta }),
        el('td', { class: 'wrap', text: r.text }), el('td', { class: 'status narrow-hide', text: r.code }), el('td', { class: 'num status narrow-hide', text: sum }),
      ]);
    });
    box.appendChild(el('div', { class: 'scroll' }, [el('table', { class: 'reasons' }, [
      el('thead', null, [el('tr', null, ['change', 'reason', 'code', 'running sum'].map(function (h, i) { return el('th', { text: h, class: i > 1 ? 'narrow-hide' : null }); }))]),
      el('tbody', null, rows),
    ])]));
    var clamped = Math.max(0, Math.min(100, sum));
    box.appendChild(el('p', { text: 'Sum ' + sum + (clamped !== sum ? ', clamped to ' + clamped : '') + ': score ' + f.score + ', severity ' + f.severity + '.' }));
    f.reasons.forEach(function (r) {
      if (r.code === 'allowlisted') box.appendChild(el('p', { class: 'allow', text: 'Suppressed: ' + r.text + '. Kept for the record, never hidden.' }));
      if (r.code === 'approved_but_anomalous') box.appendChild(el('p', { class: 'allow', text: 'Approved, but still alerting: ' + r.text + '.' }));
    });
    return box;
  }
  function remediation(f) {
    var box = el('div', { id: 'remediation' }, [el('h2', { text: 'Remediation' })]);
    var acts = f.remediation || [];
    if (f.status === 'suppressed') { box.appendChild(el('p', { class: 'muted', text: 'None: an approved tool that behaved as approved.' })); return box; }
    if (!acts.length) { box.appendChild(el('p', { class: 'muted', text: 'Nothing named by the evidence; investigate the host.' })); return box; }
    box.appendChild(el('p', { class: 'muted', text: f.status === 'signal' ? 'A two-step signal: confirm it is unwanted before acting.' : 'Review each command before running it.' }));
    box.appendChild(el('ol', null, acts.map(function (r) {
      return el('li', { 'data-kind': r.kind }, [
        el('div', { class: 'wrap', text: r.text }),
        r.command ? el('code', { class: 'cmd', text: r.command }) : null,
        el('div', { class: 'muted', text: 'from ' + r.evidence.join(', ') }),
      ]);
    })));
    return box;
  }

  // ---- summary of the run ----
  function renderRun() {
    var s = DATA.summary;
    var root = document.getElementById('run');
    if (!s) { root.hidden = true; return; }
    var rows = [
      ['inputs', s.inputs + ' (' + (s.bytes / 1e6).toFixed(1) + ' MB)'], ['events', s.events], ['problems', s.problems],
      ['time range', iso(s.minTime) + ' .. ' + iso(s.maxTime)], ['hunt took', s.seconds.toFixed(2) + ' s'],
    ];
    root.appendChild(el('dl', { class: 'kv' }, rows.reduce(function (acc, r) { acc.push(el('dt', { text: r[0] }), el('dd', { text: String(r[1]) })); return acc; }, [])));
  }

  document.getElementById('q').addEventListener('input', function (e) { state.q = e.target.value; state.shown = PAGE; applyFilter(); });
  document.getElementById('sev-filter').addEventListener('change', function (e) { setFilter('sev', e.target.value); });
  document.getElementById('status-filter').addEventListener('change', function (e) { setFilter('status', e.target.value); });
  document.getElementById('from').addEventListener('change', function (e) { setRange(fromInput(e.target.value), state.to); });
  document.getElementById('to').addEventListener('change', function (e) { setRange(state.from, fromInput(e.target.value)); });
  document.getElementById('zoom-in').addEventListener('click', function () { zoom(0.5); });
  document.getElementById('zoom-out').addEventListener('click', function () { zoom(2); });
  document.getElementById('zoom-reset').addEventListener('click', function () { view = span.slice(); renderFleet(); });
  document.getElementById('export-csv').addEventListener('click', exportCsv);
  document.getElementById('export-json').addEventListener('click', exportJson);
  function sortBy(k, dir) { state.sort = k; state.dir = dir; state.shown = PAGE; applyFilter(); }
  Array.prototype.forEach.call(document.querySelectorAll('#list th[data-sort]'), function (th) {
    th.addEventListener('click', function () {
      var k = th.getAttribute('data-sort');
      sortBy(k, state.sort === k ? -state.dir : 1);
    });
  });
  document.getElementById('sort-by').addEventListener('change', function (e) {
    var v = e.target.value.split(':');
    sortBy(v[0], Number(v[1]));
  });
  document.getElementById('clear').addEventListener('click', function () {
    var keep = { sort: state.sort, dir: state.dir };
    state = Object.assign(fresh(), keep);
    view = span.slice();
    document.getElementById('q').value = ''; document.getElementById('status-filter').value = '';
    document.getElementById('from').value = ''; document.getElementById('to').value = '';
    applyFilter(); renderOverview();
  });
  document.getElementById('more').addEventListener('click', function () { state.shown += PAGE; renderList(); });
  window.addEventListener('hashchange', renderDetail);
  // On paper every step's evidence is shown: a closed <details> would print empty.
  window.addEventListener('beforeprint', function () {
    Array.prototype.forEach.call(document.querySelectorAll('#detail details'), function (d) { d.open = true; });
  });
  renderRun();
  renderOverview();
  applyFilter();
  renderDetail();
  document.body.setAttribute('data-ready', '1');
})();
`;
