// Full-text search over the index in search/ (see src/site/search.rs for its format).
// Results are exactly the provisions whose text contains the query: candidates from the
// gram postings are verified by a substring check. Results are built with textContent.
(function () {
  'use strict';
  const PAGE = 50;
  const norm = s => s.normalize('NFKC').replace(/\s+/g, '').replace(/[A-Z]/g, c => c.toLowerCase());
  const cache = new Map();
  const load = path => {
    if (!cache.has(path)) {
      cache.set(path, fetch('search/' + path).then(r => {
        if (!r.ok) throw new Error(path + ': ' + r.status);
        return r.json();
      }));
    }
    return cache.get(path);
  };
  function shardOf(gram, shards) {
    let h = 0x811c9dc5;
    for (const ch of gram) {
      h ^= ch.codePointAt(0);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h % shards;
  }
  function grams(q) {
    const cs = Array.from(q);
    if (cs.length === 1) return cs;
    const out = new Set();
    for (let i = 0; i + 1 < cs.length; i++) out.add(cs[i] + cs[i + 1]);
    return [...out];
  }
  async function postings(gram, meta) {
    const shard = await load('p/' + shardOf(gram, meta.shards) + '.json');
    const deltas = shard[gram];
    if (!deltas) return [];
    const out = new Array(deltas.length);
    let n = 0;
    deltas.forEach((d, i) => { n = i === 0 ? d : n + d; out[i] = n; });
    return out;
  }
  function intersect(a, b) {
    const out = [];
    let i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out.push(a[i]); i++; j++; } else if (a[i] < b[j]) i++; else j++;
    }
    return out;
  }
  // Candidate provision numbers, grouped by revision index, in corpus order.
  async function candidates(q, meta) {
    const lists = await Promise.all(grams(q).map(g => postings(g, meta)));
    lists.sort((a, b) => a.length - b.length);
    let c = lists[0] || [];
    for (const l of lists.slice(1)) c = intersect(c, l);
    const byRev = new Map();
    let r = 0;
    for (const n of c) {
      while (r + 1 < meta.revs.length && meta.revs[r + 1].base <= n) r++;
      if (!byRev.has(r)) byRev.set(r, []);
      byRev.get(r).push(n - meta.revs[r].base);
    }
    return byRev;
  }
  function occurrences(text, q) {
    let n = 0, i = text.indexOf(q);
    while (i >= 0) { n++; i = text.indexOf(q, i + q.length); }
    return n;
  }
  // The match in the original text: each original character is normalized on its own,
  // remembering where its normalized form came from. (Whole-text normalization, used
  // for verification, can differ for composed sequences; then the snippet shows the
  // start of the provision without a mark.)
  function locate(orig, q) {
    const chars = Array.from(orig);
    let flat = '';
    const from = [];
    chars.forEach((ch, i) => {
      const n = norm(ch);
      for (const c of Array.from(n)) { flat += c; from.push(i); }
    });
    const cs = Array.from(flat);
    const qs = Array.from(q);
    for (let i = 0; i + qs.length <= cs.length; i++) {
      let ok = true;
      for (let j = 0; j < qs.length && ok; j++) ok = cs[i + j] === qs[j];
      if (ok) return { chars, start: from[i], end: from[i + qs.length - 1] + 1 };
    }
    return { chars, start: -1, end: -1 };
  }
  function snippet(text, q) {
    const { chars, start: at, end: to } = locate(text, q);
    const p = document.createElement('p');
    p.className = 'snippet';
    if (at < 0) {
      p.textContent = chars.slice(0, 100).join('') + (chars.length > 100 ? '…' : '');
      return p;
    }
    const start = Math.max(0, at - 40);
    const end = Math.min(chars.length, to + 60);
    p.appendChild(document.createTextNode((start > 0 ? '…' : '') + chars.slice(start, at).join('')));
    const m = document.createElement('mark');
    m.textContent = chars.slice(at, to).join('');
    p.appendChild(m);
    p.appendChild(document.createTextNode(chars.slice(to, end).join('') + (end < chars.length ? '…' : '')));
    return p;
  }
  function resultItem(meta, rev, row, q) {
    const [id, title, text] = row;
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = rev.url + '#' + encodeURIComponent(id);
    a.textContent = title || id;
    li.appendChild(a);
    const where = document.createElement('span');
    where.className = 'where';
    where.textContent = ' — ' + meta.docs[rev.doc].title + '（' + rev.date + ' 版）';
    li.appendChild(where);
    li.appendChild(snippet(text, q));
    return li;
  }
  async function run() {
    const params = new URLSearchParams(location.search);
    const raw = params.get('q') || '';
    const docSel = params.get('doc') || '';
    const revSel = params.get('rev') || 'latest';
    const input = document.getElementById('q');
    input.value = raw;
    const status = document.getElementById('status');
    const list = document.getElementById('results');
    const more = document.getElementById('more');
    const meta = await load('meta.json');
    const docBox = document.getElementById('doc');
    meta.docs.forEach((d, i) => {
      const o = document.createElement('option');
      o.value = String(i);
      o.textContent = d.title;
      docBox.appendChild(o);
    });
    docBox.value = docSel;
    const revBox = document.getElementById('rev');
    meta.revs.forEach(r => {
      if (docSel !== '' && String(r.doc) !== docSel) return;
      const o = document.createElement('option');
      o.value = r.date;
      o.textContent = r.date + ' 版';
      if (!Array.from(revBox.options).some(x => x.value === r.date)) revBox.appendChild(o);
    });
    revBox.value = revSel;
    const q = norm(raw);
    if (!q) { status.textContent = '検索語を入力してください。'; return; }
    status.textContent = '検索中…';
    const byRev = await candidates(q, meta);
    const revs = [...byRev.keys()].filter(r => {
      const rev = meta.revs[r];
      if (docSel !== '' && String(rev.doc) !== docSel) return false;
      if (revSel === 'latest') return rev.latest;
      if (revSel === 'all') return true;
      return rev.date === revSel;
    });
    let found = 0, next = 0;
    async function page() {
      let shown = 0;
      while (next < revs.length && shown < PAGE) {
        const r = revs[next++];
        const rev = meta.revs[r];
        const rows = await load(rev.text);
        const hits = byRev.get(r)
          .map(i => ({ i, row: rows[i], text: rows[i] ? norm(rows[i][2]) : '' }))
          .filter(h => h.text.includes(q))
          .map(h => ({ ...h, score: (norm(h.row[1]).includes(q) ? 1000 : 0) + occurrences(h.text, q) }));
        // Most occurrences first (a match in the heading counts most); then document order.
        hits.sort((a, b) => b.score - a.score || a.i - b.i);
        for (const h of hits) list.appendChild(resultItem(meta, rev, h.row, q));
        shown += hits.length;
        found += hits.length;
      }
      more.hidden = next >= revs.length;
      status.textContent = '「' + raw + '」: ' + found + ' 件' + (next < revs.length ? '（続きがあります）' : '');
    }
    more.addEventListener('click', () => { page(); });
    await page();
    document.body.dataset.searchDone = '1';
  }
  run().catch(e => {
    document.getElementById('status').textContent = '検索できませんでした: ' + e.message;
    document.body.dataset.searchDone = 'error';
  });
})();
