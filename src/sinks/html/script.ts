// The HTML report's script: plain DOM, no framework. It reads the findings embedded once as JSON,
// draws the overview, a filterable list rendered a page at a time, and one finding's detail
// (timeline, steps with their evidence, explanation) on demand. Finding text comes from hostile
// logs, so every string reaches the page through textContent or setAttribute, never as HTML.
export const REPORT_JS = `
'use strict';
(function () {
  var DATA = JSON.parse(document.getElementById('report-data').textContent);
  var SEV = ['critical', 'high', 'medium', 'low', 'info'];
  var STEPS = ['execution', 'persistence', 'egress', 'control'];
  var T = DATA.texts;
  var PAGE = 200;
  var all = DATA.findings.slice().sort(function (a, b) {
    return SEV.indexOf(a.severity) - SEV.indexOf(b.severity) || b.score - a.score || a.firstSeen - b.firstSeen;
  });
  var byId = new Map();
  all.forEach(function (f) { byId.set(f.id, f); });
  var state = { sev: '', status: '', host: '', tool: '', q: '', shown: PAGE };
  var filtered = all;

  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) {
      if (k === 'class') e.className = attrs[k];
      else if (k === 'text') e.textContent = attrs[k];
      else if (k.slice(0, 2) === 'on') e.addEventListener(k.slice(2), attrs[k]);
      else e.setAttribute(k, attrs[k]);
    }
    (kids || []).forEach(function (c) {
      if (c == null) return;
      e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    });
    return e;
  }
  function svg(tag, attrs, kids) {
    var e = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    (kids || []).forEach(function (c) { e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }
  function iso(t) { return t == null || !isFinite(t) ? '-' : new Date(t).toISOString().replace('.000Z', 'Z'); }
  function clock(t) { return new Date(t).toISOString().slice(11, 19); }
  function badge(sev) { return el('span', { class: 'badge b-' + sev, text: sev }); }
  function toolName(f) { return f.agent.tool ? f.agent.tool.name : 'unknown tool'; }
  function srcRef(s) {
    return s.file + (s.line != null ? ':' + s.line : s.offset != null ? ' @' + s.offset : '') +
      (s.record ? ' record ' + s.record : '') + ' (' + s.format + (s.eventId ? ' ' + s.eventId : '') + ')';
  }
  function countBy(list, key) {
    var m = new Map();
    list.forEach(function (f) { var k = key(f); m.set(k, (m.get(k) || 0) + 1); });
    return Array.from(m.entries()).sort(function (a, b) { return b[1] - a[1] || (a[0] < b[0] ? -1 : 1); });
  }

  // ---- overview ----
  function renderOverview() {
    var root = document.getElementById('overview');
    root.textContent = '';
    var sevCounts = countBy(all, function (f) { return f.severity; });
    var m = new Map(sevCounts);
    var cards = el('div', { class: 'cards', id: 'sev-cards' }, [
      el('div', { class: 'card' }, [el('div', { class: 'n', text: all.length }), 'findings']),
    ].concat(SEV.map(function (s) {
      return el('div', {
        class: 'card sev sev-' + s + (state.sev === s ? ' on' : ''), 'data-sev': s, title: 'show only ' + s,
        onclick: function () { setFilter('sev', state.sev === s ? '' : s); },
      }, [el('div', { class: 'n', text: m.get(s) || 0 }), s]);
    })));
    root.appendChild(cards);
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
        el('td', { text: r[0] }),
        el('td', { class: 'num', text: r[1] }),
        el('td', { style: 'width:35%' }, [el('div', { class: 'bar', style: 'width:' + Math.max(2, Math.round(100 * r[1] / max)) + '%' })]),
      ]);
    });
    var more = rows.length > 12 ? el('p', { class: 'muted', text: '+' + (rows.length - 12) + ' more' }) : null;
    return el('div', { class: 'panel' }, [el('h2', { text: title }), el('table', null, [el('tbody', null, body)]), more]);
  }

  // ---- list ----
  function setFilter(k, v) { state[k] = v; state.shown = PAGE; applyFilter(); renderOverview(); }
  function applyFilter() {
    var q = state.q.toLowerCase();
    filtered = all.filter(function (f) {
      if (state.sev && f.severity !== state.sev) return false;
      if (state.status && f.status !== state.status) return false;
      if (state.host && f.host !== state.host) return false;
      if (state.tool && toolName(f) !== state.tool) return false;
      if (q) {
        var hay = (f.id + ' ' + f.title + ' ' + f.host + ' ' + (f.user || '') + ' ' + toolName(f) + ' ' + f.agent.images.join(' ')).toLowerCase();
        if (hay.indexOf(q) < 0) return false;
      }
      return true;
    });
    document.getElementById('sev-filter').value = state.sev;
    var active = ['host', 'tool'].filter(function (k) { return state[k]; }).map(function (k) { return k + ' = ' + state[k]; });
    document.getElementById('active').textContent = active.length ? 'also: ' + active.join(', ') + ' ' : '';
    document.getElementById('clear').hidden = !(state.sev || state.status || state.host || state.tool || state.q);
    renderList();
  }
  function renderList() {
    var tbody = document.getElementById('rows');
    tbody.textContent = '';
    var cur = currentId();
    var frag = document.createDocumentFragment();
    filtered.slice(0, state.shown).forEach(function (f) {
      var steps = STEPS.map(function (s, i) { return f.steps.some(function (x) { return x.step === s && x.seen; }) ? 'S' + (i + 1) : '--'; }).join(' ');
      frag.appendChild(el('tr', {
        class: 'clickable' + (f.id === cur ? ' sel' : ''), 'data-id': f.id,
        onclick: function () { location.hash = 'f=' + encodeURIComponent(f.id); },
      }, [
        el('td', null, [badge(f.severity)]),
        el('td', { class: 'num', text: f.score }),
        el('td', null, [el('div', { text: f.title }), el('div', { class: 'status', text: f.host + ' \\u00b7 ' + steps + (f.status !== 'alert' ? ' \\u00b7 ' + f.status : '') })]),
        el('td', { class: 'status', text: iso(f.firstSeen) }),
      ]));
    });
    tbody.appendChild(frag);
    document.getElementById('count').textContent = 'showing ' + Math.min(state.shown, filtered.length) + ' of ' + filtered.length + ' findings';
    document.getElementById('more').hidden = filtered.length <= state.shown;
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
    if (!f) { root.appendChild(el('div', { class: 'empty', text: 'Pick a finding to see its timeline, evidence and explanation.' })); return; }
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
    if (f.egress.length) {
      root.appendChild(el('h2', { text: 'Destinations' }));
      root.appendChild(el('table', null, [el('thead', null, [el('tr', null, ['destination', 'connections', 'longest s', 'bytes out', 'bytes in'].map(function (h) { return el('th', { text: h }); }))]),
        el('tbody', null, f.egress.map(function (d) {
          return el('tr', null, [
            el('td', { text: (d.name ? d.name + ' ' : '') + d.ip + (d.port != null ? ':' + d.port : '') + (d.hostLevel ? ' (flow only)' : '') }),
            el('td', { class: 'num', text: d.connections }), el('td', { class: 'num', text: d.durationSec != null ? d.durationSec : '' }),
            el('td', { class: 'num', text: d.bytesOut != null ? d.bytesOut : '' }), el('td', { class: 'num', text: d.bytesIn != null ? d.bytesIn : '' }),
          ]);
        }))]));
    }
    root.appendChild(explanation(f));
    root.scrollTop = 0;
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
      return el('div', { class: 'ev', id: 'ev-' + s.step + '-' + i }, [iso(e.time) + '  ' + srcRef(e.src) + '\\n' + e.summary]);
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
  function timeline(f) {
    var W = 800, H = 150, L = 120, R = 16, top = 14, lane = 28;
    var t0 = f.firstSeen, t1 = f.lastSeen;
    f.steps.forEach(function (s) { s.evidence.forEach(function (e) { t0 = Math.min(t0, e.time); t1 = Math.max(t1, e.time); }); });
    var span = Math.max(1, t1 - t0);
    function x(t) { return L + (W - L - R) * (t - t0) / span; }
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
      g.appendChild(svg('text', { x: L + (W - L - R) * p - (p === 1 ? 50 : p === 0.5 ? 25 : 0), y: ay + 14 }, [clock(t0 + span * p)]));
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
        el('td', { text: r.text }), el('td', { class: 'status', text: r.code }), el('td', { class: 'num status', text: sum }),
      ]);
    });
    box.appendChild(el('table', { class: 'reasons' }, [
      el('thead', null, [el('tr', null, ['change', 'reason', 'code', 'running sum'].map(function (h) { return el('th', { text: h }); }))]),
      el('tbody', null, rows),
    ]));
    var clamped = Math.max(0, Math.min(100, sum));
    box.appendChild(el('p', { text: 'Sum ' + sum + (clamped !== sum ? ', clamped to ' + clamped : '') + ': score ' + f.score + ', severity ' + f.severity + '.' }));
    f.reasons.forEach(function (r) {
      if (r.code === 'allowlisted') box.appendChild(el('p', { class: 'allow', text: 'Suppressed: ' + r.text + '. Kept for the record, never hidden.' }));
      if (r.code === 'approved_but_anomalous') box.appendChild(el('p', { class: 'allow', text: 'Approved, but still alerting: ' + r.text + '.' }));
    });
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
  document.getElementById('clear').addEventListener('click', function () {
    state = { sev: '', status: '', host: '', tool: '', q: '', shown: PAGE };
    document.getElementById('q').value = ''; document.getElementById('status-filter').value = '';
    applyFilter(); renderOverview();
  });
  document.getElementById('more').addEventListener('click', function () { state.shown += PAGE; renderList(); });
  window.addEventListener('hashchange', renderDetail);
  renderRun();
  renderOverview();
  applyFilter();
  renderDetail();
  document.body.setAttribute('data-ready', '1');
})();
`;
