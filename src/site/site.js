// Previews for cross-references and defined terms. Reading works without this script.
// Everything shown is copied with textContent: document text never becomes markup.
(function () {
  'use strict';
  let box = null;
  function hide() {
    if (box) { box.remove(); box = null; }
  }
  function targetOf(a) {
    const href = a.getAttribute('href') || '';
    if (!href.startsWith('#')) return null;
    return document.getElementById(decodeURIComponent(href.slice(1)));
  }
  function previewText(a, t) {
    if (a.classList.contains('term')) {
      const dt = t.querySelector('dt');
      const dd = t.querySelector('.def-text');
      return [dt ? dt.textContent : '', dd ? dd.textContent : ''];
    }
    // The heading's own text: not the date or the change badge beside it.
    const h = t.querySelector('h2 > a.self, h3 > a.self, h4 > a.self');
    let body = '';
    for (const el of t.querySelectorAll(':scope > p, :scope > .para > p, :scope > ol > li')) {
      body += (body ? '\n' : '') + el.textContent;
      if (body.length > 300) break;
    }
    if (!h && !body) body = t.textContent;
    if (body.length > 300) body = body.slice(0, 300) + '…';
    return [h ? h.textContent : '', body];
  }
  function show(a) {
    const t = targetOf(a);
    if (!t) return;
    hide();
    const [title, body] = previewText(a, t);
    box = document.createElement('div');
    box.className = 'preview';
    box.id = 'yakkan-preview';
    box.setAttribute('role', 'tooltip');
    const b = document.createElement('b');
    b.textContent = title;
    box.appendChild(b);
    box.appendChild(document.createTextNode(body));
    document.body.appendChild(box);
    a.setAttribute('aria-describedby', box.id);
    const r = a.getBoundingClientRect();
    box.style.left = Math.max(4, Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - box.offsetWidth - 4)) + 'px';
    box.style.top = (window.scrollY + r.bottom + 4) + 'px';
  }
  const sel = 'a.ref, a.term';
  document.addEventListener('mouseover', e => { const a = e.target.closest && e.target.closest(sel); if (a) show(a); });
  document.addEventListener('focusin', e => { const a = e.target.closest && e.target.closest(sel); if (a) show(a); });
  document.addEventListener('mouseout', e => { if (e.target.closest && e.target.closest(sel)) hide(); });
  document.addEventListener('focusout', hide);
  document.addEventListener('keydown', e => { if (e.key === 'Escape') hide(); });
  document.addEventListener('click', hide);
})();
