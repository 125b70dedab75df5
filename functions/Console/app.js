// The operator console: one page, no framework, no CDN. It calls only the store's own /api/manage routes, with the
// operator key kept for this tab (sessionStorage). Amounts are fen on the wire and yuan here; times are Shanghai's.
'use strict';

(() => {
  const KEY = 'westore.key';
  const LANG = 'westore.lang';
  const words = window.WESTORE_I18N;
  let lang = localStorage.getItem(LANG) === 'en' ? 'en' : 'zh';
  const t = (k) => words[lang][k] ?? words.zh[k] ?? k;
  const main = document.getElementById('main');
  const nav = document.getElementById('nav');
  const pages = ['today', 'orders', 'afterSales', 'codes', 'coupons', 'reconciliation', 'members'];

  const yuan = (fen) => (Number(fen ?? 0) / 100).toFixed(2);
  const time = (iso) => (iso ? new Date(iso).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai', hour12: false }) : '');
  const shanghaiDay = (offsetDays = 0) => new Date(Date.now() + (8 * 3600e3) + (offsetDays * 864e5)).toISOString().slice(0, 10);
  const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random()).replace(/-/g, '').slice(0, 24);

  // One call to the store. A 401 means the key is wrong or gone: back to sign-in. Other problems are shown as they came.
  class Problem extends Error {
    constructor(status, body) { super(body?.title ?? String(status)); this.status = status; this.body = body; }
  }
  async function api(method, path, { body, csv, accept, raw } = {}) {
    const headers = {};
    if (sessionStorage.getItem(KEY)) headers['x-functions-key'] = sessionStorage.getItem(KEY);
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (csv !== undefined) headers['content-type'] = 'text/csv';
    if (accept) headers.accept = accept;
    if (method !== 'GET') headers['idempotency-key'] = newKey();
    const response = await fetch(path, { method, headers, body: body !== undefined ? JSON.stringify(body) : csv });
    if (response.status === 401) { sessionStorage.removeItem(KEY); platformSession = false; signIn(t('wrongKey')); throw new Problem(401, null); }
    if (!response.ok) {
      const type = response.headers.get('content-type') ?? '';
      throw new Problem(response.status, type.includes('json') ? await response.json() : { title: `${response.status}` });
    }
    if (raw) return response;
    return (response.headers.get('content-type') ?? '').includes('json') ? response.json() : response.text();
  }

  function problemHtml(e) {
    if (!(e instanceof Problem)) return `<div class="problem" role="alert">${esc(t('error'))}: ${esc(e.message)}</div>`;
    const errors = e.body?.errors ? Object.entries(e.body.errors).map(([f, m]) => `<li><b>${esc(f)}</b>: ${esc([].concat(m).join(' '))}</li>`).join('') : '';
    return `<div class="problem" role="alert"><b>${esc(e.body?.title ?? e.status)}</b>${e.body?.detail ? ` — ${esc(e.body.detail)}` : ''}${errors ? `<ul>${errors}</ul>` : ''}</div>`;
  }

  // Runs an action, showing its problem in the given place (or the page) instead of a blank page.
  async function guard(where, action) {
    try { return await action(); } catch (e) { if (!(e instanceof Problem && e.status === 401)) where.insertAdjacentHTML('afterbegin', problemHtml(e)); return undefined; }
  }

  function toast(text) {
    const box = document.getElementById('toast');
    const line = document.createElement('div');
    line.textContent = text;
    box.append(line);
    setTimeout(() => line.remove(), 4000);
  }

  function fields(form) { return Object.fromEntries(new FormData(form).entries()); }

  function card(title, inner) { return `<section class="card"><h2>${esc(title)}</h2>${inner}</section>`; }

  function table(headers, rows, rowClass) {
    if (rows.length === 0) return `<p class="muted">${esc(t('none'))}</p>`;
    const head = headers.map(([label, num]) => `<th scope="col"${num ? ' class="num"' : ''}>${esc(label)}</th>`).join('');
    return `<table><thead><tr>${head}</tr></thead><tbody>${rows.map((r, i) => `<tr${rowClass?.(i) ? ` class="${rowClass(i)}"` : ''}>${r.map((c, j) => `<td${headers[j][1] ? ' class="num"' : ''}>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
  }

  // --- Sign-in ---------------------------------------------------------------------------------------------------
  function signIn(message) {
    nav.hidden = true;
    document.getElementById('signout').hidden = true;
    main.innerHTML = `<section class="card signin"><h1>${esc(t('signInTitle'))}</h1>${message ? `<div class="problem" role="alert">${esc(message)}</div>` : ''}
      <form id="signin-form"><label>${esc(t('keyLabel'))}<input id="key" name="key" type="password" autocomplete="off" required></label>
      <p class="muted">${esc(t('keyHint'))}</p><button type="submit">${esc(t('signIn'))}</button></form>
      <p class="muted"><a href="/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent(location.pathname)}">${esc(t('entraSignIn'))}</a></p></section>`;
    document.getElementById('signin-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      sessionStorage.setItem(KEY, document.getElementById('key').value);
      // Checked with the cheapest call there is; a wrong key comes back here.
      try { await api('GET', '/api/manage/alerts?day=' + shanghaiDay()); } catch { return; }
      location.hash = '#/today';
      route();
    });
  }

  // --- Today: orders, paid, GMV, refunds, and the channel funnel ------------------------------------------------------
  async function today(params) {
    const from = params.get('from') ?? shanghaiDay(-6);
    const to = params.get('to') ?? shanghaiDay();
    const groupBy = params.get('groupBy') === 'qrcode' ? 'qrcode' : 'channel';
    main.innerHTML = `<h1>${esc(t('today'))}</h1>
      <form class="inline" id="range"><label>${esc(t('from'))}<input type="date" name="from" value="${from}"></label>
      <label>${esc(t('to'))}<input type="date" name="to" value="${to}"></label>
      <label>${esc(t('groupBy'))}<select name="groupBy"><option value="channel">${esc(t('byChannel'))}</option><option value="qrcode"${groupBy === 'qrcode' ? ' selected' : ''}>${esc(t('byCode'))}</option></select></label>
      <button type="submit">${esc(t('show'))}</button><button type="button" class="secondary" id="csv">${esc(t('downloadCsv'))}</button></form>
      <div class="kpis" id="kpis"></div><section class="card"><h2>${esc(t('funnel'))}</h2><div id="chart" role="img" aria-label="${esc(t('funnel'))}"></div><div id="funnel-table"></div></section>`;
    document.getElementById('range').addEventListener('submit', (ev) => {
      ev.preventDefault();
      location.hash = '#/today?' + new URLSearchParams(fields(ev.target)).toString();
    });
    const query = `/api/manage/reports/attribution?from=${from}&to=${to}&groupBy=${groupBy}`;
    document.getElementById('csv').addEventListener('click', () => guard(main, async () => {
      const text = await api('GET', query, { accept: 'text/csv' });
      download(`funnel-${from}-${to}.csv`, new Blob(['\ufeff' + text], { type: 'text/csv' }));
    }));
    const [report, recon] = await Promise.all([guard(main, () => api('GET', query)), api('GET', `/api/manage/reconciliation/${shanghaiDay(-1)}`).catch(() => null)]);
    if (!report) return;
    const sum = (f) => report.rows.reduce((n, r) => n + (r[f] ?? 0), 0);
    document.getElementById('kpis').innerHTML = [
      [t('ordersKpi'), sum('orders')], [t('paidKpi'), sum('paidOrders')], [t('gmvKpi'), '¥' + yuan(sum('paidGmv'))],
      [t('refundsKpi'), recon ? '¥' + yuan(recon.matchedRefunds) : '—'],
    ].map(([label, value]) => `<div class="kpi">${esc(label)}<b data-kpi="${esc(label)}">${esc(value)}</b></div>`).join('');
    const stages = ['scans', 'newMembers', 'wecomAdds', 'follows', 'orders', 'paidOrders'];
    const rows = report.rows.filter((r) => stages.some((s) => r[s] > 0));
    document.getElementById('funnel-table').innerHTML = table([[t('key')], ...stages.map((s) => [t(s === 'orders' ? 'ordersKpi' : s), true]), [t('paidGmv'), true]],
      rows.map((r) => [esc(r.key), ...stages.map((s) => esc(r[s])), '¥' + yuan(r.paidGmv)]));
    if (window.echarts) {
      const chart = window.echarts.init(document.getElementById('chart'));
      chart.setOption({
        animation: false, tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { left: 48, right: 16, top: 36, bottom: 28 },
        xAxis: { type: 'category', data: stages.map((s) => t(s === 'orders' ? 'ordersKpi' : s)) }, yAxis: { type: 'value' },
        series: rows.map((r) => ({ name: r.key, type: 'bar', data: stages.map((s) => r[s] ?? 0) })),
      });
      document.getElementById('chart').dataset.ready = String(rows.length);
    }
  }

  function download(name, blob) {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  // --- Orders: the work lists, search, ship one (split packages), import a warehouse CSV ------------------------------
  async function orders(params) {
    const status = ['toShip', 'shipped', 'received', 'uploadFailed'].includes(params.get('status')) ? params.get('status') : 'toShip';
    main.innerHTML = `<h1>${esc(t('orders'))}</h1>
      <nav aria-label="${esc(t('orders'))}">${['toShip', 'shipped', 'received', 'uploadFailed'].map((s) => `<a href="#/orders?status=${s}"${s === status ? ' aria-current="page"' : ''}>${esc(t(s))}</a>`).join(' ')}</nav>
      <form class="inline" id="find"><label>${esc(t('search'))}<input name="orderNo" required pattern="[A-Za-z0-9_-]{6,32}"></label><button type="submit">${esc(t('find'))}</button></form>
      <div id="found"></div><section class="card" id="list"></section>
      ${card(t('importCsv'), `<form class="inline" id="import"><label>CSV<input type="file" name="file" accept=".csv,text/csv" required></label><button type="submit">${esc(t('upload'))}</button></form><div id="import-result"></div>`)}`;
    document.getElementById('find').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const found = document.getElementById('found');
      found.innerHTML = '';
      guard(found, async () => showOrder(found, await api('GET', `/api/manage/orders/${encodeURIComponent(fields(ev.target).orderNo)}`)));
    });
    document.getElementById('import').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const place = document.getElementById('import-result');
      place.innerHTML = '';
      guard(place, async () => {
        const result = await api('POST', '/api/manage/shipments/import', { csv: await ev.target.file.files[0].text() });
        place.innerHTML = `<p>${esc(t('shippedOk'))}: ${result.shipped} · unchanged ${result.unchanged} · refused ${result.refused} · invalid ${result.invalid}</p>`
          + table([[t('line'), true], [t('orderNo')], [t('result')], ['']], result.results.map((r) => [r.line, esc(r.orderNo), `<span data-outcome="${esc(r.outcome)}">${esc(r.outcome)}</span>`, esc(r.message)]));
      });
    });
    const list = document.getElementById('list');
    const page = await guard(list, () => api('GET', `/api/manage/orders?status=${status}&pageSize=50`));
    if (!page) return;
    list.innerHTML = `<h2>${esc(t(status))}</h2>` + table([[t('orderNo')], [t('status')], [t('paidAt')], [t('payable'), true], ['']],
      page.orders.map((o) => [esc(o.order.orderNo), esc(o.order.status), esc(time(o.order.paidAt)), '¥' + yuan(o.paidAmount), `<button type="button" class="link" data-open="${esc(o.order.orderNo)}">${esc(t('ship'))}</button>`]));
    list.querySelectorAll('[data-open]').forEach((b) => b.addEventListener('click', () => guard(list, async () => {
      const found = document.getElementById('found');
      showOrder(found, await api('GET', `/api/manage/orders/${b.dataset.open}`));
      found.scrollIntoView();
    })));
  }

  function showOrder(place, o) {
    const lines = o.order.lines ?? [];
    place.innerHTML = card(`${t('order')} ${o.order.orderNo} · ${o.order.status}`,
      table([[t('sku')], ['', false], [t('quantity'), true]], lines.map((l) => [esc(l.skuId), esc(l.name), esc(l.quantity)]))
      + `<form id="ship-form" data-order="${esc(o.order.orderNo)}"><div id="packages"></div><button type="button" class="secondary" id="add-package">+</button> <button type="submit">${esc(t('ship'))}</button></form>`);
    const packages = place.querySelector('#packages');
    const addPackage = () => {
      const n = packages.children.length + 1;
      packages.insertAdjacentHTML('beforeend', `<fieldset class="inline"><legend>P${n}</legend>
        <label>${esc(t('express'))}<input name="expressCompany" required value="SF"></label><label>${esc(t('tracking'))}<input name="trackingNo" required></label>
        ${lines.map((l) => `<label>${esc(l.skuId)}<input name="qty-${esc(l.skuId)}" type="number" min="0" max="${l.quantity}" value="${n === 1 ? l.quantity : 0}"></label>`).join('')}</fieldset>`);
    };
    addPackage();
    place.querySelector('#add-package').addEventListener('click', addPackage);
    place.querySelector('#ship-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      guard(place, async () => {
        const body = {
          logisticsType: 'express',
          packages: [...packages.querySelectorAll('fieldset')].map((f) => ({
            expressCompany: f.querySelector('[name=expressCompany]').value, trackingNo: f.querySelector('[name=trackingNo]').value,
            items: lines.map((l) => ({ skuId: l.skuId, quantity: Number(f.querySelector(`[name="qty-${l.skuId}"]`).value) })).filter((i) => i.quantity > 0),
          })),
        };
        const shipped = await api('POST', `/api/manage/orders/${ev.target.dataset.order}/shipments`, { body });
        place.innerHTML = `<p role="status" data-shipped="${esc(shipped.order.orderNo)}">${esc(t('shippedOk'))}: ${esc(shipped.order.orderNo)} · ${esc(shipped.order.status)}</p>`;
        toast(t('shippedOk'));
      });
    });
  }

  // --- After-sale: the queue by status; approve, reject, receive with restock ---------------------------------------
  async function afterSales(params) {
    const statuses = ['requested', 'approved', 'returnShipped', 'returnReceived', 'refunding', 'refunded', 'rejected', 'refundAbnormal'];
    const status = statuses.includes(params.get('status')) ? params.get('status') : 'requested';
    main.innerHTML = `<h1>${esc(t('afterSales'))}</h1><nav aria-label="${esc(t('afterSales'))}">${statuses.map((s) => `<a href="#/afterSales?status=${s}"${s === status ? ' aria-current="page"' : ''}>${esc(t(s))}</a>`).join(' ')}</nav>
      <section class="card" id="queue"></section><div id="detail"></div>`;
    const queue = document.getElementById('queue');
    const page = await guard(queue, () => api('GET', `/api/manage/after-sales?status=${status}`));
    if (!page) return;
    queue.innerHTML = table([[t('request')], [t('orderNo')], [t('type')], [t('amount'), true], [t('reason')], ['']],
      page.afterSales.map((a) => [esc(a.afterSaleId), esc(a.orderNo), esc(a.type), '¥' + yuan(a.requestedAmount), esc(a.reason), `<button type="button" class="link" data-id="${esc(a.afterSaleId)}">${esc(t('show'))}</button>`]));
    queue.querySelectorAll('[data-id]').forEach((b) => b.addEventListener('click', () => showAfterSale(b.dataset.id)));
  }

  async function showAfterSale(id) {
    const detail = document.getElementById('detail');
    detail.innerHTML = '';
    await guard(detail, async () => {
      const a = await api('GET', `/api/manage/after-sales/${id}`);
      const o = await api('GET', `/api/manage/orders/${a.orderNo}`);
      detail.innerHTML = card(`${t('request')} ${a.afterSaleId}`, `<p>${esc(t('status'))}: <b data-status="${esc(a.status)}">${esc(t(a.status))}</b> · ${esc(a.type)} · ¥${yuan(a.approvedAmount ?? a.requestedAmount)}</p>
        <p>${esc(t('order'))} ${esc(o.order.orderNo)} · ${esc(o.order.status)} · ${esc(t('payable'))} ¥${yuan(o.paidAmount)}</p>
        ${table([[t('payments')], [t('amount'), true], [t('status')]], [[esc(o.transactionId ?? ''), '¥' + yuan(o.paidAmount), 'paid'], ...(o.refunds ?? []).map((r) => [esc(r.outRefundNo), '¥' + yuan(r.amount), esc(r.status)])])}
        <form class="inline" id="as-actions">${a.type === 'return' ? `<label>${esc(t('returnAddress'))}<input name="returnAddress" value="${esc(localStorage.getItem('westore.returnAddress') ?? '')}"></label>` : ''}<label>${esc(t('reason'))}<input name="reason"></label>
        <button type="button" data-act="approve">${esc(t('approve'))}</button><button type="button" class="secondary" data-act="reject">${esc(t('reject'))}</button>
        <button type="button" class="secondary" data-act="receive">${esc(t('receive'))}</button></form>`);
      detail.querySelectorAll('[data-act]').forEach((b) => b.addEventListener('click', () => guard(detail, async () => {
        const reason = detail.querySelector('[name=reason]').value;
        const returnAddress = detail.querySelector('[name=returnAddress]')?.value || undefined;
        if (returnAddress) localStorage.setItem('westore.returnAddress', returnAddress);
        const body = b.dataset.act === 'reject' ? { reason } : b.dataset.act === 'receive' ? { restock: true } : { returnAddress };
        await api('POST', `/api/manage/after-sales/${id}/${b.dataset.act}`, { body });
        toast(t('saved'));
        await showAfterSale(id);
      })));
    });
  }

  // --- Codes: Mini Program QR codes, WeCom contact-me codes, Official Account follow codes --------------------------
  async function codes() {
    const channels = ['packaging', 'shelf', 'kol', 'live', 'staff', 'event', 'ad', 'share', 'other'];
    const channelSelect = `<label>${esc(t('channel'))}<select name="channel">${channels.map((c) => `<option>${c}</option>`).join('')}</select></label>`;
    main.innerHTML = `<h1>${esc(t('codes'))}</h1>
      ${card(t('qrCodes'), `<form class="inline" id="qr-form"><label>${esc(t('name'))}<input name="name" required maxlength="60"></label>${channelSelect}<label>${esc(t('page'))}<input name="page" value="pages/index/index" required></label><button type="submit">${esc(t('create'))}</button></form><div id="qr-list"></div>`)}
      ${card(t('contactWays'), `<form class="inline" id="way-form"><label>${esc(t('name'))}<input name="name" required maxlength="60"></label>${channelSelect}<label>${esc(t('staff'))}<input name="staff" required></label><label>${esc(t('welcome'))}<input name="text" required value="欢迎！"></label><button type="submit">${esc(t('create'))}</button></form><div id="way-list"></div>`)}
      ${card(t('followCodes'), `<form class="inline" id="follow-form"><label>${esc(t('name'))}<input name="name" required maxlength="60"></label>${channelSelect}<button type="submit">${esc(t('create'))}</button></form><div id="follow-list"></div>`)}`;
    const form = (id, path, toBody, reload) => document.getElementById(id).addEventListener('submit', (ev) => {
      ev.preventDefault();
      guard(ev.target.parentElement, async () => { await api('POST', path, { body: toBody(fields(ev.target)) }); toast(t('saved')); await reload(); });
    });
    const qrList = async () => {
      const place = document.getElementById('qr-list');
      const list = await guard(place, () => api('GET', '/api/manage/qrcodes'));
      if (!list) return;
      place.innerHTML = table([[t('name')], [t('channel')], ['scene'], [t('image')]], list.qrcodes.map((c) => [esc(c.name), esc(c.channel), esc(c.sceneId), `<img class="code" alt="${esc(c.name)}" data-scene="${esc(c.sceneId)}">`]));
      // The image route takes the key like the others, so it is fetched and shown from memory.
      for (const img of place.querySelectorAll('img[data-scene]')) {
        api('GET', `/api/manage/qrcodes/${encodeURIComponent(img.dataset.scene)}.png`, { raw: true }).then(async (r) => {
          img.src = URL.createObjectURL(await r.blob());
          img.insertAdjacentHTML('afterend', ` <a href="${img.src}" download="${esc(img.dataset.scene)}.png">${esc(t('download'))}</a>`);
        }).catch(() => {});
      }
    };
    const wayList = async () => {
      const place = document.getElementById('way-list');
      const list = await guard(place, () => api('GET', '/api/manage/contact-ways'));
      if (!list) return;
      place.innerHTML = table([[t('name')], [t('channel')], ['state'], [t('status')], [t('image')]], list.contactWays.map((w) => [esc(w.name), esc(w.channel), esc(w.state), esc(w.status),
        w.qrCode ? `<img class="code" alt="${esc(w.name)}" src="${esc(w.qrCode)}" data-state="${esc(w.state)}"> <a href="${esc(w.qrCode)}" download>${esc(t('download'))}</a>` : '']));
    };
    const followList = async () => {
      const place = document.getElementById('follow-list');
      const list = await guard(place, () => api('GET', '/api/manage/follow-codes'));
      if (!list) return;
      place.innerHTML = table([[t('name')], [t('channel')], ['scene_str'], [t('image')]], list.followCodes.map((f) => [esc(f.name), esc(f.channel), esc(f.sceneStr),
        `<img class="code" alt="${esc(f.name)}" src="${esc(f.imageUrl)}"> <a href="${esc(f.imageUrl)}" download>${esc(t('download'))}</a>`]));
    };
    form('qr-form', '/api/manage/qrcodes', (f) => ({ name: f.name, channel: f.channel, source: 'console', page: f.page, checkPath: false }), qrList);
    form('way-form', '/api/manage/contact-ways', (f) => ({ name: f.name, channel: f.channel, staffUserIds: f.staff.split(',').map((s) => s.trim()).filter(Boolean), welcome: { text: f.text } }), wayList);
    form('follow-form', '/api/manage/follow-codes', (f) => ({ name: f.name, channel: f.channel }), followList);
    await Promise.all([qrList(), wayList(), followList()]);
  }

  // --- Coupons: a campaign (create, pause, resume, claimed), exchange codes (generate, download) ---------------------
  async function coupons() {
    main.innerHTML = `<h1>${esc(t('coupons'))}</h1>
      ${card(t('newCampaign'), `<form class="inline" id="new-campaign"><label>${esc(t('name'))}<input name="name" required maxlength="60"></label><label>${esc(t('amountOff'))}<input name="off" type="number" min="0.01" step="0.01" required></label>
        <label>${esc(t('stock'))}<input name="stock" type="number" min="1" value="1000"></label><label>${esc(t('perMember'))}<input name="limit" type="number" min="1" value="1"></label>
        <label>${esc(t('validDays'))}<input name="days" type="number" min="1" value="30"></label><label>${esc(t('issueOn'))}<select name="issueOn"><option>claim</option><option>code</option><option>scan</option><option>welcome</option><option>postPurchase</option><option>referral</option></select></label>
        <button type="submit">${esc(t('create'))}</button></form>`)}
      <section class="card"><h2>${esc(t('coupons'))}</h2><div id="campaigns"></div><div id="campaign"></div></section>`;
    const show = async (id) => {
      const place = document.getElementById('campaign');
      place.innerHTML = '';
      await guard(place, async () => {
        const c = await api('GET', `/api/manage/coupons/campaigns/${encodeURIComponent(id)}`);
        place.innerHTML = `<p><b>${esc(c.name)}</b> (${esc(c.id)}) · ${esc(c.issueOn)} · ¥${yuan(c.amountOff)} · ${esc(t('claimed'))} <b data-claimed>${esc(c.claimed)}</b> / ${esc(c.totalStock)} · ${c.paused ? esc(t('pause')) : ''}</p>
          <button type="button" data-act="${c.paused ? 'resume' : 'pause'}">${esc(t(c.paused ? 'resume' : 'pause'))}</button>
          <form class="inline" id="gen"><label>${esc(t('count'))}<input name="count" type="number" min="1" max="10000" value="100"></label><button type="submit">${esc(t('generateCodes'))}</button></form>`;
        place.querySelector('[data-act]').addEventListener('click', (ev) => guard(place, async () => { await api('POST', `/api/manage/coupons/campaigns/${c.id}/${ev.target.dataset.act}`); await show(c.id); }));
        place.querySelector('#gen').addEventListener('submit', (ev) => {
          ev.preventDefault();
          guard(place, async () => {
            const generated = await api('POST', `/api/manage/coupons/campaigns/${c.id}/codes`, { body: { count: Number(fields(ev.target).count) } });
            download(`${c.id}-codes.csv`, new Blob([generated.codes.join('\r\n') + '\r\n'], { type: 'text/csv' }));
          });
        });
      });
    };
    document.getElementById('new-campaign').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const f = fields(ev.target);
      guard(ev.target.parentElement, async () => {
        const c = await api('POST', '/api/manage/coupons/campaigns', { body: { name: f.name, type: 'fixed', amountOff: Math.round(Number(f.off) * 100), totalStock: Number(f.stock), perMemberLimit: Number(f.limit), validDays: Number(f.days), issueOn: f.issueOn } });
        await show(c.id);
      });
    });
    const listPlace = document.getElementById('campaigns');
    const list = await guard(listPlace, () => api('GET', '/api/manage/coupons/campaigns'));
    if (!list) return;
    listPlace.innerHTML = table([[t('name')], [t('issueOn')], [t('amountOff'), true], [t('stock'), true], [t('status')], ['']], list.items.map((c) => [esc(c.name), esc(c.issueOn),
      '¥' + yuan(c.amountOff), esc(c.totalStock), esc(c.paused ? t('pause') : ''), `<button type="button" class="link" data-campaign="${esc(c.id)}">${esc(t('show'))}</button>`]));
    listPlace.querySelectorAll('[data-campaign]').forEach((b) => b.addEventListener('click', () => show(b.dataset.campaign)));
  }

  // --- Reconciliation: a day, differences highlighted, each naming its order ---------------------------------------
  async function reconciliation(params) {
    const day = params.get('day') ?? shanghaiDay(-1);
    main.innerHTML = `<h1>${esc(t('reconciliation'))}</h1><form class="inline" id="day"><label>${esc(t('day'))}<input type="date" name="day" value="${day}"></label><button type="submit">${esc(t('show'))}</button></form><section class="card" id="recon"></section>`;
    document.getElementById('day').addEventListener('submit', (ev) => { ev.preventDefault(); location.hash = '#/reconciliation?day=' + fields(ev.target).day; });
    const place = document.getElementById('recon');
    const r = await guard(place, () => api('GET', `/api/manage/reconciliation/${day}`));
    if (!r) return;
    place.innerHTML = `<p>${esc(r.outcome)} · ${esc(t('matched'))} ${r.matched} · ¥${yuan(r.matchedPayments)} / ¥${yuan(r.matchedRefunds)} · ${esc(t('differences'))} <b>${(r.differences ?? []).length}</b></p>`
      + table([[t('kind')], [t('orderNo')], [t('storeAmount'), true], [t('billAmount'), true]], (r.differences ?? []).map((d) => [esc(d.kind), esc(d.orderNo), d.storeAmount == null ? '—' : '¥' + yuan(d.storeAmount), d.billAmount == null ? '—' : '¥' + yuan(d.billAmount)]), () => 'diff');
  }

  // --- Members: segments with size and history, flows with their funnel, broadcasts with their results ---------------
  async function members() {
    const kinds = [['segments', 'segmentId'], ['flows', 'flowId'], ['broadcasts', 'broadcastId']];
    main.innerHTML = `<h1>${esc(t('members'))}</h1>${kinds.map(([kind, label]) => `<section class="card" data-kind="${kind}"><h2>${esc(t(label))}</h2><div class="list"></div><div class="detail"></div></section>`).join('')}`;
    await Promise.all(kinds.map(async ([kind]) => {
      const section = main.querySelector(`section[data-kind="${kind}"]`);
      const list = await guard(section, () => api('GET', `/api/manage/${kind}`));
      if (!list) return;
      section.querySelector('.list').innerHTML = table([[t('name')], [t('day')], ['']], list.items.map((x) => [esc(x.name ?? x.text), esc(time(x.createdAt)),
        `<button type="button" class="link" data-id="${esc(x.id)}">${esc(t('show'))}</button>`]));
      section.querySelectorAll('[data-id]').forEach((b) => b.addEventListener('click', () => memberDetail(section, kind, b.dataset.id)));
    }));
  }

  async function memberDetail(section, kind, id) {
    const place = section.querySelector('.detail');
    place.innerHTML = '';
    await guard(place, async () => {
      const x = await api('GET', `/api/manage/${kind}/${encodeURIComponent(id)}`);
      const figures = kind === 'segments' ? [[t('size'), x.size], [t('history'), (x.history ?? []).map((h) => `${h.day}: ${h.size}`).join(', ')]]
        : kind === 'flows' ? [[t('entered'), x.entered], [t('running'), x.running], [t('finished'), x.finished], [t('paidOrders'), x.purchasedWithin7Days], [t('paidGmv'), '¥' + yuan(x.purchasedGmv)]]
        : [[t('targeted'), x.targeted], [t('sent'), x.sent], [t('skipped'), JSON.stringify(x.skipped)], [t('paidOrders'), x.purchasedWithin7Days], [t('paidGmv'), '¥' + yuan(x.purchasedGmv)]];
      place.innerHTML = `<p><b>${esc(x.name ?? x.text ?? x.id)}</b></p>` + table([[t('kind')], [t('result'), true]], figures.map(([k, v]) => [esc(k), esc(v)]));
    });
  }

  const handlers = { today, orders, afterSales, codes, coupons, reconciliation, members };

  // Behind App Service authentication (Azure, Entra ID) the operator signs in there; its session cookie goes with every
  // call and no key is needed. Locally /.auth/me does not exist, and the console asks for the key.
  let platformSession = null;
  async function signedInByPlatform() {
    if (platformSession !== null) return platformSession;
    try {
      const me = await fetch('/.auth/me', { credentials: 'same-origin' });
      platformSession = me.ok && (await me.json()).length > 0;
    } catch { platformSession = false; }
    return platformSession;
  }

  async function route() {
    if (!sessionStorage.getItem(KEY) && !(await signedInByPlatform())) { signIn(); return; }
    const [, name = 'today', query = ''] = /^#\/(\w+)?\??(.*)$/.exec(location.hash) ?? [];
    const page = pages.includes(name) ? name : 'today';
    nav.hidden = false;
    document.getElementById('signout').hidden = false;
    nav.innerHTML = pages.map((p) => `<a href="#/${p}"${p === page ? ' aria-current="page"' : ''}>${esc(t(p))}</a>`).join('');
    main.innerHTML = `<p class="muted">${esc(t('loading'))}</p>`;
    try { await handlers[page](new URLSearchParams(query)); } catch (e) { if (!(e instanceof Problem && e.status === 401)) main.insertAdjacentHTML('afterbegin', problemHtml(e)); }
  }

  function applyLanguage() {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = t('brand');
    document.querySelectorAll('[data-t]').forEach((el) => { el.textContent = t(el.dataset.t); });
    document.getElementById('lang').textContent = lang === 'zh' ? 'English' : '中文';
  }

  document.getElementById('lang').addEventListener('click', () => { lang = lang === 'zh' ? 'en' : 'zh'; localStorage.setItem(LANG, lang); applyLanguage(); route(); });
  document.getElementById('signout').addEventListener('click', () => { sessionStorage.removeItem(KEY); signIn(); });
  window.addEventListener('hashchange', route);
  applyLanguage();
  route();
})();
