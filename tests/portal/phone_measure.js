(phone) => {
  // What a page looks like at a given width, measured in the browser (test_phone_browser.py).
  const out = {problems: []};
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth) {
    const wide = [...document.querySelectorAll('body *')]
      .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-wrap'))
      .slice(-3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''));
    out.problems.push(`page ${doc.scrollWidth}px wide at ${window.innerWidth}px: ${wide.join(', ')}`);
  }
  const lines = (rects) => new Set([...rects].filter(r => r.width > 0).map(r => Math.round(r.top))).size;
  // Codes (6-31-01-03, 6-31-01-03-01, 91440101MA5D7E0M1A) on one line, wherever they stand.
  const code = /\b(\d-\d{2}-\d{2}-\d{2}(-\d{2})?|[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10})\b/g;
  const walker = document.createTreeWalker(document.querySelector('main') || document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement.checkVisibility()) continue;
    for (const m of node.data.matchAll(code)) {
      const range = document.createRange();
      range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
      if (lines(range.getClientRects()) > 1) out.problems.push(`code ${m[0]} broken over lines`);
    }
  }
  // Tables: all through {% table %}; cards on the phone; header words whole on the desktop.
  for (const table of document.querySelectorAll('main table')) {
    if (!table.classList.contains('data-table')) { out.problems.push('a table outside {% table %}'); continue; }
    if (!table.classList.contains('stack')) continue;
    const row = table.querySelector('tbody tr');
    if (phone && row && getComputedStyle(row).display !== 'block') out.problems.push('table rows are not cards');
    if (phone && table.tHead && table.tHead.checkVisibility() && table.tHead.getBoundingClientRect().height > 1)
      out.problems.push('table header shown on the phone');
    if (!phone) for (const th of table.querySelectorAll('thead th')) {
      const text = th.innerText.trim();
      if (text.length > 1 && th.getBoundingClientRect().width < 1.8 * parseFloat(getComputedStyle(th).fontSize) + 20)
        out.problems.push(`header ${text} one character per line`);
    }
  }
  out.cards = phone ? document.querySelectorAll('main table.stack tbody tr').length : 0;
  // The top bar: 「登录」 and the account links never wrap.
  for (const a of document.querySelectorAll('.topbar .account a, .topbar .account button'))
    if (lines(a.getClientRects()) > 1 || a.getBoundingClientRect().height > 40) out.problems.push(`top bar link ${a.innerText} wraps`);
  // The workspace menu: folded on the phone, open on the desktop.
  const menu = document.querySelector('nav.side-nav details');
  out.menu = !!menu;
  if (menu) {
    const link = menu.querySelector('a');
    if (phone && link.checkVisibility()) out.problems.push('workspace menu not folded on the phone');
    if (!phone && !link.checkVisibility()) out.problems.push('workspace menu hidden on the desktop');
    const main = document.querySelector('main').getBoundingClientRect();
    if (phone && main.top > 560) out.problems.push(`content starts ${Math.round(main.top)}px down`);
  }
  out.links = [...document.querySelectorAll('nav.side-nav a, main a')].map(a => a.getAttribute('href') || '');
  out.tableLinks = [...document.querySelectorAll('main table a')].map(a => a.getAttribute('href') || '');
  return out;
}
