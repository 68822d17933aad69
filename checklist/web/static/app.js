/* checklist web app. Offline first: every answer, photo, signature and the 完成检查 itself goes
   into a queue in IndexedDB before anything is sent, so closing the tab or losing the signal loses
   nothing; the queue is sent in order whenever the connection allows, each answer with the result
   it replaced (`previous`), so a change made elsewhere meanwhile comes back as a conflict that the
   inspector settles, never as an overwrite. Photos are shrunk (long side ≤ 2,560 px, JPEG) and
   stamped with the time and the target before they are queued. Signatures are drawn with pointer
   events on a canvas. */
"use strict";
(function () {
  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register("/sw.js").catch(function () { /* the app works without it, online */ });
  }
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var catalog = document.getElementById("catalog");
  if (catalog && document.getElementById("unit")) {  // the new-audit form: the chosen catalog's units and kinds only
    catalog.addEventListener("change", function () {
      document.getElementById("unit").setAttribute("list", "units-" + catalog.value);
      document.getElementById("kind").setAttribute("list", "kinds-" + catalog.value);
    });
  }
  /* a signature pad: pointer events on a canvas (finger, stylus or mouse) */
  function pad(c) {
    var g = c.getContext("2d"), drawing = false, inked = false, last = null;
    g.lineWidth = 3; g.lineCap = "round"; g.lineJoin = "round"; g.strokeStyle = "#111";
    function at(ev) { var r = c.getBoundingClientRect(); return [(ev.clientX - r.left) * c.width / r.width, (ev.clientY - r.top) * c.height / r.height]; }
    c.addEventListener("pointerdown", function (ev) { drawing = true; last = at(ev); c.setPointerCapture(ev.pointerId); ev.preventDefault(); });
    c.addEventListener("pointermove", function (ev) {
      if (!drawing) { return; }
      var p = at(ev);
      g.beginPath(); g.moveTo(last[0], last[1]); g.lineTo(p[0], p[1]); g.stroke();
      last = p; inked = true;
    });
    ["pointerup", "pointercancel"].forEach(function (t) { c.addEventListener(t, function () { drawing = false; }); });
    return {
      inked: function () { return inked; },
      url: function () { return c.toDataURL("image/png"); },
      clear: function () { g.clearRect(0, 0, c.width, c.height); inked = false; }
    };
  }
  document.querySelectorAll("form.move .pad").forEach(function (box) {  // 复查 on a hazard's page
    var p = pad(box.querySelector("canvas"));
    box.querySelector(".clear").addEventListener("click", p.clear);
    box.closest("form").addEventListener("submit", function () {
      box.querySelector("input[type=hidden]").value = p.inked() ? p.url() : "";
    });
  });

  var root = document.getElementById("audit");
  if (!root) { return; }
  var AUDIT = root.dataset.audit, TARGET = root.dataset.target;
  var DATA = JSON.parse(document.getElementById("page-data").textContent);
  var MAX_SIDE = 2560, QUALITY = 0.85;
  var timers = {}, given = {}, sending = false, again = false, blocked = "";

  /* --- the queue (IndexedDB: one store, items in the order they were given) ------------------ */
  var dbp = new Promise(function (resolve, reject) {
    var open = indexedDB.open("checklist-queue", 1);
    open.onupgradeneeded = function () { open.result.createObjectStore("ops", { keyPath: "n", autoIncrement: true }); };
    open.onsuccess = function () { resolve(open.result); };
    open.onerror = function () { reject(open.error); };
  });
  function tx(mode, fn) {
    return dbp.then(function (db) {
      return new Promise(function (resolve, reject) {
        // relaxed: the write survives closing the tab and the browser; only a power cut may lose the last one
        var t = db.transaction("ops", mode, { durability: "relaxed" }), out = fn(t.objectStore("ops"));
        t.oncomplete = function () { resolve(out && out.result !== undefined ? out.result : out); };
        t.onerror = function () { reject(t.error); };
      });
    });
  }
  function all() {
    return tx("readonly", function (s) { return s.getAll(); }).then(function (items) {
      return items.filter(function (i) { return i.audit === AUDIT; });
    });
  }
  function put(item) { return tx("readwrite", function (s) { return s.put(item); }); }
  function drop(n) { return tx("readwrite", function (s) { return s.delete(n); }); }

  /* --- what a check's form holds --------------------------------------------------------------- */
  function form(id) { return document.getElementById("c-" + id); }
  function val(f, name) { var el = f.elements[name]; return el ? el.value.trim() : ""; }
  function chosen(f) { var b = f.querySelector(".choice[aria-pressed=true]"); return b ? b.dataset.value : "unchecked"; }
  function payload(f) {
    var result = chosen(f), body = { result: result, note: val(f, "note"), reason: val(f, "reason") };
    if (result === "fail") {
      var plan = {};
      DATA.plan_parts.forEach(function (k) { plan[k] = val(f, "plan_" + k); });
      body.finding = { hazard: val(f, "hazard"), description: val(f, "description"), place: val(f, "place"),
                       basis: val(f, "basis"), basis_reason: val(f, "basis_reason"), measure: val(f, "measure"), owner: val(f, "owner"),
                       due: val(f, "due"), interim_measures: val(f, "interim_measures"), plan: plan };
    }
    return body;
  }
  function lookup(body, path) { return path.split(".").reduce(function (v, k) { return v && v[k]; }, body); }
  function missing(body) {
    return (DATA.required[body.result] || []).filter(function (p) { return !lookup(body, p); })
      .map(function (p) { return DATA.fields[p] || p; });
  }
  function show(f, text, kind, retry) {
    var p = f.querySelector(".state");
    p.className = "state" + (kind ? " " + kind : "");
    p.querySelector(".msg").textContent = text;
    p.querySelector(".retry").hidden = !retry;
  }
  function press(f, result) {
    f.querySelectorAll(".choice").forEach(function (b) { b.setAttribute("aria-pressed", b.dataset.value === result ? "true" : "false"); });
    layout(f, result);
  }
  function layout(f, result) {
    var id = f.dataset.check, finding = f.querySelector(".finding"), na = f.querySelector(".na"), at = f.querySelector(".photos");
    if (result === "fail" && !finding) { at.before(fromTemplate("finding-template", "f-" + id)); }
    if (result === "na" && !na) { at.before(fromTemplate("na-template", id)); }
    if (f.querySelector(".finding")) { f.querySelector(".finding").hidden = result !== "fail"; }
    if (f.querySelector(".na")) { f.querySelector(".na").hidden = result !== "na"; }
    f.dataset.shown = result;
  }
  function fromTemplate(name, key) {
    var html = document.getElementById(name).innerHTML.replace(/KEY/g, key), box = document.createElement("div");
    box.innerHTML = html;
    var frag = document.createDocumentFragment();
    while (box.firstChild) { frag.appendChild(box.firstChild); }
    return frag;
  }
  function fill(f, body) {  // a queued answer shown again after a reload
    press(f, body.result);
    ["note", "reason"].forEach(function (k) { if (f.elements[k]) { f.elements[k].value = body[k] || ""; } });
    if (body.finding) {
      Object.keys(body.finding).forEach(function (k) {
        if (k === "plan") {
          Object.keys(body.finding.plan || {}).forEach(function (p) { if (f.elements["plan_" + p]) { f.elements["plan_" + p].value = body.finding.plan[p]; } });
        } else if (f.elements[k]) { f.elements[k].value = body.finding[k]; }
      });
    }
  }

  /* --- giving an answer: into the queue first ---------------------------------------------------- */
  function give(f) {
    var id = f.dataset.check;
    clearTimeout(timers[id]); delete timers[id];
    var body = payload(f), lack = missing(body), same = JSON.stringify(body);
    if (lack.length) { show(f, "请填写" + lack.join("、") + "后保存", "todo", false); return Promise.resolve(); }
    if (given[id] === same) { return Promise.resolve(); }  // a blur after the same text was already given
    given[id] = same;
    return all().then(function (items) {
      var mine = items.filter(function (i) { return i.kind === "answer" && i.check === id; });
      var last = mine[mine.length - 1];
      if (last && last.state !== "sending") {  // not sent yet: the newer answer takes its place, replacing the same result
        last.body = Object.assign(body, { previous: last.body.previous }); last.state = "waiting"; last.error = "";
        return put(last);
      }
      body.previous = last ? last.body.result : f.dataset.result;
      return put({ audit: AUDIT, kind: "answer", check: id, body: body, state: "waiting", at: new Date().toISOString() });
    }).then(function () { show(f, navigator.onLine ? "正在保存…" : "已存本机，待发送", "saving", false); return refresh(); })
      .then(sync);
  }

  /* --- photos: shrunk and stamped in the browser, then queued ------------------------------------ */
  function stamp() {
    var d = new Date(), p = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate()) + " " + p(d.getHours()) + ":" + p(d.getMinutes());
  }
  function shrink(file, id) {
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bmp) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bmp.width, bmp.height));
      var w = Math.round(bmp.width * scale), h = Math.round(bmp.height * scale);
      var c = document.createElement("canvas"); c.width = w; c.height = h;
      var g = c.getContext("2d");
      g.drawImage(bmp, 0, 0, w, h);
      if (bmp.close) { bmp.close(); }
      var size = Math.max(14, Math.round(Math.min(w, h) / 28)), text = stamp() + "  " + TARGET + "  " + id;
      g.font = size + "px sans-serif";
      g.fillStyle = "rgba(0,0,0,0.55)";
      g.fillRect(0, h - size * 1.8, Math.min(w, g.measureText(text).width + size * 1.2), size * 1.8);
      g.fillStyle = "#fff"; g.textBaseline = "middle";
      g.fillText(text, size * 0.6, h - size * 0.9);
      return new Promise(function (resolve) { c.toBlob(resolve, "image/jpeg", QUALITY); });
    });
  }
  function addPhoto(f, file) {
    var id = f.dataset.check;
    show(f, "正在处理照片…", "saving", false);
    return shrink(file, id).then(function (blob) {
      if (!blob) { throw new Error("encode"); }
      return put({ audit: AUDIT, kind: "photo", check: id, blob: blob, state: "waiting", at: new Date().toISOString() });
    }).then(function (n) {
      return tx("readonly", function (s) { return s.get(n); });
    }).then(function (item) {
      thumb(f, URL.createObjectURL(item.blob), "待发送的照片", item.n);
      show(f, navigator.onLine ? "照片上传中…" : "照片已存本机，待发送", "saving", false);
      return refresh();
    }).then(sync).catch(function () { show(f, "照片无法读取，请换一张或重拍", "unsaved", false); });
  }
  function thumb(f, src, alt, n) {
    var ul = f.querySelector(".thumbs"), li = document.createElement("li"), img = document.createElement("img");
    img.src = src; img.alt = alt; img.width = 96; img.height = 96;
    if (n) { li.dataset.queued = n; li.className = "queued"; }
    li.appendChild(img); ul.appendChild(li);
  }

  /* --- sending, in order ------------------------------------------------------------------------ */
  function request(item) {
    var headers = { "Accept": "application/json", "X-CSRF-Token": csrf }, url, opts;
    if (item.kind === "answer") {
      url = root.dataset.api.replace("CHECK", encodeURIComponent(item.check));
      headers["Content-Type"] = "application/json";
      opts = { method: "PUT", body: JSON.stringify(item.body) };
    } else if (item.kind === "photo") {
      var data = new FormData(); data.append("photo", item.blob, "photo.jpg");
      url = root.dataset.photos.replace("CHECK", encodeURIComponent(item.check));
      opts = { method: "POST", body: data };
    } else {
      url = item.kind === "sign" ? root.dataset.sign : root.dataset.finish;
      headers["Content-Type"] = "application/json";
      opts = { method: "POST", body: JSON.stringify(item.body || {}) };
    }
    opts.headers = headers; opts.credentials = "same-origin";
    return fetch(url, opts).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (d) { return { ok: r.ok, status: r.status, data: d }; });
    });
  }
  function sync() {
    if (sending) { again = true; return refresh(); }
    if (!navigator.onLine) { return refresh(); }
    sending = true; again = false; blocked = "";
    return all().then(function next(items) {
      var item = items.filter(function (i) { return i.state === "waiting" || i.state === "sending"; })[0];
      if (!item) { return done(items.length === 0); }
      item.state = "sending";
      return put(item).then(function () { return request(item); }).then(function (res) {
        if (res.ok) { return drop(item.n).then(function () { sent(item, res.data); }).then(all).then(next); }
        var err = res.data.error || {};
        if (res.status === 401 || res.status === 403 && !err.code) {
          blocked = res.status === 401 ? "登录已过期：请在新窗口重新登录，然后点“重试”" : "无权操作，请重新登录";
          item.state = "waiting"; return put(item).then(function () { return done(false); });
        }
        if (res.status >= 500 || res.status === 429) { item.state = "waiting"; return put(item).then(function () { return done(false); }); }
        item.state = res.status === 409 && err.current ? "conflict" : "refused";
        item.error = err.message || ("服务器返回 " + res.status); item.current = err.current || null;
        return put(item).then(function () { settle(item); }).then(all).then(next);
      }, function () {  // the network: keep it waiting
        item.state = "waiting"; return put(item).then(function () { return done(false); });
      });
    }).catch(function () { sending = false; return refresh(); });
  }
  function done(empty) {
    sending = false;
    if (again) { return sync(); }  // something was queued while the last reply was on its way
    if (empty) { fetch(location.href, { credentials: "same-origin" }).catch(function () {}); }  // the cached page catches up
    return refresh();
  }
  function sent(item, data) {
    var f = item.check && form(item.check);
    if (item.kind === "answer") {
      f.dataset.result = data.check.result;
      document.getElementById("answered").textContent = data.answered;
      if (!timers[item.check]) { show(f, "已保存 " + new Date().toLocaleTimeString("zh-CN", { hour12: false }), "saved", false); }
    } else if (item.kind === "photo") {
      var li = f.querySelector('li[data-queued="' + item.n + '"]');
      if (li) { li.className = ""; li.removeAttribute("data-queued"); li.querySelector("img").alt = "现场照片"; }
      show(f, "照片已保存", "saved", false);
    } else if (item.kind === "sign") {
      var list = document.getElementById("signed-list"), s = data.signature, li2 = document.createElement("li");
      li2.textContent = DATA.signer_roles[s.role] + "：" + s.name + (s.title ? "（" + s.title + "）" : "") + " · " + s.at.slice(0, 16).replace("T", " ");
      list.appendChild(li2);
    } else if (item.kind === "finish") {
      var r = data.report || {};
      document.getElementById("finish-msg").textContent = "已登记到隐患台账" + (r.added && r.added.length ? "：新登记隐患 " + r.added.join("、") : "") + "。";
      location.assign(location.pathname + "/done");
    }
  }
  function settle(item) {  // a conflict or a refusal: shown on the check, never resent on its own
    var f = item.check && form(item.check);
    if (!f) { document.getElementById("finish-msg").textContent = "未提交：" + item.error; return; }
    if (item.state === "conflict") {
      show(f, "冲突：" + item.error + "。您的答案（" + DATA.results[item.body.result] + "）保存在本机：点“重试”以您的为准，或刷新页面采用对方的。", "unsaved", true);
    } else {
      show(f, "未保存：" + item.error, "unsaved", item.kind === "photo");
    }
  }
  function retry(f) {
    return all().then(function (items) {
      var mine = items.filter(function (i) { return i.check === f.dataset.check && (i.state === "conflict" || i.state === "refused"); });
      return Promise.all(mine.map(function (i) {
        if (i.state === "conflict" && i.current) { i.body.previous = i.current.result; f.dataset.result = i.current.result; }
        i.state = "waiting"; i.error = "";
        return put(i);
      }));
    }).then(function () { blocked = ""; return sync(); });
  }

  /* --- what waits, on the page -------------------------------------------------------------------- */
  function refresh() {
    return all().then(function (items) {
      var answers = items.filter(function (i) { return i.kind === "answer"; }).length;
      var photos = items.filter(function (i) { return i.kind === "photo"; }).length;
      var others = items.length - answers - photos;
      var w = document.getElementById("waiting"), alert = document.getElementById("unsaved-alert");
      w.hidden = items.length === 0;
      w.textContent = "待发送：" + answers + " 个答案、" + photos + " 张照片" + (others ? "、" + others + " 项签字或登记" : "") + (navigator.onLine ? "" : "（离线）");
      var stuck = items.filter(function (i) { return i.state === "conflict" || i.state === "refused"; }).length;
      alert.hidden = !stuck && !blocked;
      alert.textContent = blocked || (stuck + " 项未保存，请查看标红的检查项");
      return items;
    });
  }
  function restore() {  // after a reload or reopening the tab: what is still queued shows again
    return all().then(function (items) {
      items.forEach(function (i) {
        if (i.state === "sending") { i.state = "waiting"; put(i); }
        var f = i.check && form(i.check);
        if (!f) { return; }
        if (i.kind === "answer") {
          fill(f, i.body); show(f, "已存本机，待发送", "saving", false);
          given[i.check] = JSON.stringify({ result: i.body.result, note: i.body.note, reason: i.body.reason, finding: i.body.finding });
        }
        if (i.kind === "photo") { thumb(f, URL.createObjectURL(i.blob), "待发送的照片", i.n); }
        if (i.state === "conflict" || i.state === "refused") { settle(i); }
      });
    }).then(refresh).then(sync);
  }

  /* --- the page's controls ------------------------------------------------------------------------ */
  root.addEventListener("submit", function (ev) { ev.preventDefault(); });
  root.addEventListener("click", function (ev) {
    var b = ev.target.closest("button"), f = b && b.closest("form.check");
    if (!f) { return; }
    if (b.classList.contains("choice")) {
      press(f, b.getAttribute("aria-pressed") === "true" ? "unchecked" : b.dataset.value);
      var lack = missing(payload(f));
      if (lack.length) {  // a reason or a finding to write first: say so quietly, and go there
        show(f, "请填写" + lack.join("、") + "后自动保存", "todo", false);
        var first = f.querySelector(".na textarea, .finding textarea[name=measure]");
        if (first) { first.focus(); }
        return;
      }
      give(f);
    } else if (b.classList.contains("retry")) { retry(f); }
  });
  root.addEventListener("change", function (ev) {
    var f = ev.target.form;
    if (!f || !f.classList.contains("check")) { return; }
    if (ev.target.type === "file") {
      Array.prototype.forEach.call(ev.target.files, function (file) { addPhoto(f, file); });
      ev.target.value = "";
      return;
    }
    give(f);
  });
  root.addEventListener("input", function (ev) {
    var f = ev.target.form;
    if (!f || ev.target.type === "file") { return; }
    var id = f.dataset.check;
    clearTimeout(timers[id]);
    show(f, "正在输入…", "saving", false);
    timers[id] = setTimeout(function () { give(f); }, 800);
  });
  window.addEventListener("online", function () { sync(); });
  window.addEventListener("offline", refresh);
  setInterval(function () { if (navigator.onLine) { sync(); } }, 15000);

  /* filter, search and chapter counts */
  var find = document.getElementById("find"), shown = document.getElementById("shown");
  function filter() {
    var q = (find.value || "").trim().toLowerCase(), mode = (document.querySelector('input[name=show]:checked') || {}).value || "all", n = 0;
    document.querySelectorAll("#audit .chapter").forEach(function (ch) {
      var any = false;
      ch.querySelectorAll(".clause").forEach(function (cl) {
        var seen = false;
        cl.querySelectorAll("form.check").forEach(function (f) {
          var r = f.dataset.shown || f.dataset.result;
          var ok = (mode === "all" || r === mode) && (!q || cl.textContent.toLowerCase().indexOf(q) >= 0);
          f.hidden = !ok; seen = seen || ok; n += ok;
        });
        cl.hidden = !seen; any = any || seen;
      });
      ch.hidden = !any;
    });
    shown.textContent = q || mode !== "all" ? "显示 " + n + " 项" : "";
  }
  if (find) {
    find.addEventListener("input", filter);
    document.querySelectorAll("input[name=show]").forEach(function (r) { r.addEventListener("change", filter); });
  }

  /* signatures: pointer events on a canvas (finger, stylus or mouse) */
  document.querySelectorAll("form.pad").forEach(function (form_) {
    var pd = pad(form_.querySelector("canvas"));
    form_.querySelector(".clear").addEventListener("click", pd.clear);
    var padForm = form_;
    padForm.addEventListener("submit", function (ev) { ev.preventDefault(); });
    padForm.querySelector(".save-sign").addEventListener("click", function () {
      var msg = padForm.querySelector(".msg"), name = val(padForm, "name"), title = val(padForm, "title");
      if (!name) { msg.textContent = "请填写姓名"; return; }
      if (padForm.dataset.role === "unit" && !title) { msg.textContent = "请填写职务"; return; }
      if (!pd.inked()) { msg.textContent = "请先在签名框内签名"; return; }
      var flushed = Object.keys(timers).map(function (id) { return give(form(id)); });
      Promise.all(flushed).then(function () {
        return put({ audit: AUDIT, kind: "sign", body: { role: padForm.dataset.role, name: name, title: title, image: pd.url(), signed_at: new Date().toISOString() },
                     state: "waiting", at: new Date().toISOString() });
      }).then(function () {
        padForm.hidden = true;
        document.querySelectorAll("#audit .choice, #audit textarea, #audit input").forEach(function (el) { el.disabled = true; });
        var li = document.createElement("li");
        li.textContent = DATA.signer_roles[padForm.dataset.role] + "：" + name + (title ? "（" + title + "）" : "") + " · " + (navigator.onLine ? "正在提交" : "已存本机，待发送");
        li.className = "queued";
        document.getElementById("signed-list").appendChild(li);
        return refresh();
      }).then(sync);
    });
  });

  /* 完成检查: what is being typed is queued first, then the finish itself (sent when online) */
  var finish = document.getElementById("finish");
  if (finish) {
    finish.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var flushed = Object.keys(timers).map(function (id) { return give(form(id)); });
      Promise.all(flushed).then(all).then(function (items) {
        if (items.some(function (i) { return i.kind === "finish"; })) { return; }
        return put({ audit: AUDIT, kind: "finish", state: "waiting", at: new Date().toISOString() });
      }).then(function () {
        document.getElementById("finish-msg").textContent = navigator.onLine ? "正在登记…" : "已存本机：联网后自动登记到隐患台账";
        return refresh();
      }).then(sync);
    });
  }
  restore();
})();
