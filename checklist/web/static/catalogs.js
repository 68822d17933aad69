/* The catalog draft page: each change is sent the moment it is made (fetch + X-CSRF-Token), one at a
   time and in order, with the draft version it was made on; the answer brings the draft's problems,
   shown on their fields. A lost connection keeps the change and retries; a draft changed elsewhere
   is shown, never overwritten. */
"use strict";
(function () {
  var root = document.getElementById("clauses"), dataEl = document.getElementById("page-data");
  if (!root || !dataEl) { return; }
  var DATA = JSON.parse(dataEl.textContent);
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var version = DATA.version, queue = [], busy = false, failed = false, stopped = false, reloadAfter = false, timers = {};
  var saved = {}, publishAfter = false;  // what each field last saved; publish once everything is saved
  var state = document.getElementById("save-state"), retry = document.getElementById("retry");
  var reload = document.getElementById("reload"), conflict = document.getElementById("conflict");

  function show(text, kind) {
    state.textContent = text;
    state.parentNode.className = "state" + (kind ? " " + kind : "");
    retry.hidden = kind !== "unsaved" || stopped;
  }
  function list(text) { return (text || "").split(/[、,，;；\n]+/).map(function (x) { return x.trim(); }).filter(Boolean); }
  function sel(scope, query) { return scope.querySelector(query); }
  function all(scope, query) { return Array.prototype.slice.call(scope.querySelectorAll(query)); }
  function card(id) { return all(document, ".clause-card").filter(function (c) { return c.dataset.clause === id; })[0]; }

  function recurrence(fs) {
    var v = function (k) { var el = sel(fs, '[data-rec="' + k + '"]'); return el ? el.value.trim() : ""; };
    var mode = v("mode"), original = JSON.parse(fs.dataset.original || "null") || {}, out = {};
    var keep = function (family, keys) { if (family in original) { keys.forEach(function (k) { if (k in original) { out[k] = original[k]; } }); } };
    if (!mode) { return null; }
    if (mode === "none") { return { none: v("reason") }; }
    if (mode === "on") { keep("on", ["action", "note"]); out.on = list(v("dates")); out.roll = v("roll"); return out; }
    keep("every", ["steps_by", "from", "until", "basis", "action", "note"]);
    out.every = mode;
    var due = v("due"), n = parseInt(v("n"), 10), times = parseInt(v("times"), 10);
    if (due === "wd") { out.due = { working_day_of_month: n, month: v("month") }; }
    else if (due === "day") { out.due = { day_of_month: n, month: v("month"), roll: v("roll") }; }
    else if (due === "deadline") { out.due = { deadline: true }; }
    else { out.due = { last_working_day: true }; }
    if (times >= 2) { out.times = times; }
    return out;
  }
  function layoutRecurrence(fs) {
    var mode = sel(fs, '[data-rec="mode"]').value, due = sel(fs, '[data-rec="due"]').value;
    var every = mode && mode !== "on" && mode !== "none";
    sel(fs, ".rec-every").hidden = !every;
    sel(fs, '[data-rec="n"]').hidden = sel(fs, '[data-rec="month"]').hidden = !(due === "wd" || due === "day");
    sel(fs, ".rec-on").hidden = mode !== "on";
    sel(fs, ".rec-roll").hidden = !(mode === "on" || (every && due === "day"));
    sel(fs, ".rec-none").hidden = mode !== "none";
  }

  function value(form, field) {
    if (field === "fields") {
      var fields = {};
      all(form, '[data-field="fields"]').forEach(function (t) { fields[t.dataset.label] = t.value; });
      return fields;
    }
    if (field === "tags") { return list(sel(form, '[data-field="tags"]').value); }
    if (field === "responsible") {
      var leads = all(form, 'input[data-role="lead"]:checked').map(function (c) { return { unit: c.value, role: "lead" }; });
      var led = leads.map(function (x) { return x.unit; });
      return leads.concat(all(form, 'input[data-role="support"]:checked').filter(function (c) { return led.indexOf(c.value) < 0; })
        .map(function (c) { return { unit: c.value, role: "support" }; }));
    }
    if (field === "checks") {
      return all(form, ".check-row").map(function (row) {
        var k = { ask: sel(row, ".ask").value, evidence: list(sel(row, ".evidence").value) };
        if (row.dataset.check) { k.id = row.dataset.check; }
        return k;
      });
    }
    if (field === "recurrence") { return recurrence(sel(form, ".recurrence")); }
    return sel(form, '[data-field="' + field + '"]').value;
  }

  function enqueue(op) {
    var key = JSON.stringify([op.op, op.clause, op.field, op.unit, op.finding]), sent = JSON.stringify(op);
    if (["clause", "meta", "review"].indexOf(op.op) >= 0) {
      queue = queue.filter(function (q, i) { return q.key !== key || (i === 0 && busy); });
      if (saved[key] === sent && !queue.some(function (q) { return q.key === key; })) { return; }  // no change since it was saved
    }
    queue.push({ op: op, key: key, sent: sent });
    pump();
  }
  function flush() {
    Object.keys(timers).forEach(function (k) { clearTimeout(timers[k].id); timers[k].run(); });
    timers = {};
  }
  function later(key, run) {
    if (timers[key]) { clearTimeout(timers[key].id); }
    show("未保存：正在输入…", "saving");
    timers[key] = { run: run, id: setTimeout(function () { delete timers[key]; run(); }, 700) };
  }

  function pump() {
    if (busy || stopped || !queue.length) { return; }
    var item = queue[0];
    busy = true;
    show("正在保存…", "saving");
    fetch(DATA.api, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(Object.assign({ version: version }, item.op))
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (d) { return { ok: r.ok, status: r.status, data: d }; });
    }).then(function (res) {
      busy = false;
      var err = res.data.error || {};
      if (res.ok) {
        queue.shift(); failed = false;
        saved[item.key] = item.sent;
        version = res.data.version;
        document.getElementById("publish-version").value = version;
        document.getElementById("discard-version").value = version;
        render(res.data);
        if (res.data.clause && item.op.field === "checks") {  // new questions get their ids: the next save names them
          var rows = all(card(res.data.clause.id) || document, ".check-row");
          (res.data.clause.checks || []).forEach(function (k, i) { if (rows[i]) { rows[i].dataset.check = k.id; } });
        }
        reloadAfter = reloadAfter || res.data.reload;
        if (!queue.length) {
          show("已保存 " + new Date().toLocaleTimeString("zh-CN", { hour12: false }), "");
          if (reloadAfter) { window.location.reload(); return; }
          if (publishAfter && !Object.keys(timers).length) { reloadAfter = true; document.getElementById("publish-form").submit(); return; }
        }
        pump();
      } else if (res.status === 409 || res.status === 404) {
        stopped = true; failed = true;
        var pending = queue.map(function (q) { return describe(q.op); }).filter(Boolean);
        conflict.textContent = (err.message || "草稿已被他人修改") + "。您的修改未保存、也未覆盖他人的修改" +
          (pending.length ? "；未保存的内容：" + pending.join("；") : "") + "。请复制后点“刷新”。";
        conflict.hidden = false; reload.hidden = false;
        show("未保存：草稿已被他人修改", "unsaved");
      } else if (res.status === 401) {
        failed = true;
        show("未保存：登录已过期，请在新窗口重新登录后点重试", "unsaved");
      } else {
        queue.shift();
        failed = false;
        refuse(item.op, err.message || ("服务器返回 " + res.status));
        show("未保存：" + (err.message || res.status), "unsaved");
        pump();
      }
    }).catch(function () {
      busy = false; failed = true;
      show("未保存：网络中断，恢复后将自动重试（或点重试）", "unsaved");
    });
  }
  function describe(op) {
    if (op.op === "clause" && typeof op.value === "string") { return "条款 " + op.clause + "：" + op.value; }
    if (op.op === "meta") { return op.value; }
    return "";
  }
  function refuse(op, message) {
    var scope = op.clause ? card(op.clause) : document.getElementById("meta");
    var target = scope && (sel(scope, '.field-error[data-field="' + (op.field || "") + '"]') || sel(scope, ".field-error"));
    if (target) { var s = document.createElement("span"); s.textContent = message; target.appendChild(s); }
  }

  function render(d) {
    document.getElementById("n-problems").textContent = d.problems.length;
    document.getElementById("n-open").textContent = d.open;
    document.getElementById("publish").disabled = !d.publishable;
    all(document, ".field-error").forEach(function (p) { p.textContent = ""; });
    all(document, ".clause-card").forEach(function (c) { c.classList.remove("has-problems"); });
    d.problems.forEach(function (p) {
      var target;
      if (p.clause !== null) {
        var c = card(p.clause);
        if (!c) { return; }
        c.classList.add("has-problems");
        target = sel(c, '.field-error[data-field="' + p.field + '"]') || sel(c, '.field-error[data-field=""]');
      } else {
        target = all(document, "#meta .field-error[data-field], #units .field-error[data-field]")
          .filter(function (e) { return e.dataset.field === p.field; })[0] || document.getElementById("meta-errors");
      }
      var s = document.createElement("span");
      s.textContent = p.words; s.title = p.detail;
      target.appendChild(s);
    });
  }

  function clauseChange(form, field, now) {
    var run = function () { enqueue({ op: "clause", clause: form.dataset.clause, field: field, value: value(form, field) }); };
    if (now) { if (timers[form.dataset.clause + field]) { clearTimeout(timers[form.dataset.clause + field].id); delete timers[form.dataset.clause + field]; } run(); }
    else { later(form.dataset.clause + field, run); }
  }
  function fieldOf(el) {
    if (el.dataset.field) { return el.dataset.field; }
    var holder = el.closest("[data-field]");
    return holder ? holder.dataset.field : "";
  }
  function picked(form) {
    var names = all(form, 'input[data-role]:checked').map(function (c) { return c.dataset.name + (c.dataset.role === "lead" ? "（牵头）" : "（配合）"); });
    sel(form, ".picked").textContent = names.join("、") || "（未指定）";
  }

  document.addEventListener("input", function (ev) {
    var el = ev.target, form = el.closest(".clause-form");
    if (el.type === "checkbox" || el.tagName === "SELECT") { return; }
    if (form && fieldOf(el)) { clauseChange(form, fieldOf(el), false); }
    else if (el.dataset.meta) { later("meta" + el.dataset.meta, function () { enqueue({ op: "meta", field: el.dataset.meta, value: el.value }); }); }
  });
  document.addEventListener("change", function (ev) {
    var el = ev.target, form = el.closest(".clause-form");
    if (el.dataset.finding) {
      el.closest(".finding").classList.toggle("reviewed", el.checked);
      enqueue({ op: "review", finding: parseInt(el.dataset.finding, 10), reviewed: el.checked });
      return;
    }
    if (el.dataset.role && form) {
      if (el.checked) {
        all(form, 'input[data-role]').forEach(function (o) { if (o !== el && o.value === el.value) { o.checked = false; } });
      }
      picked(form);
      clauseChange(form, "responsible", true);
      return;
    }
    if (el.dataset.rec && form) { layoutRecurrence(el.closest(".recurrence")); clauseChange(form, "recurrence", true); return; }
    if (form && fieldOf(el)) { clauseChange(form, fieldOf(el), true); return; }
    if (el.dataset.meta) {
      if (timers["meta" + el.dataset.meta]) { clearTimeout(timers["meta" + el.dataset.meta].id); delete timers["meta" + el.dataset.meta]; }
      enqueue({ op: "meta", field: el.dataset.meta, value: el.value });
      return;
    }
    var row = el.closest(".unit-row");
    if (row && row.dataset.unit) {
      flush();
      enqueue({ op: "unit", unit: row.dataset.unit, name: sel(row, '[data-unit-field="name"]').value, aliases: list(sel(row, '[data-unit-field="aliases"]').value) });
    }
  });

  document.addEventListener("click", function (ev) {
    var button = ev.target.closest("button[data-action]");
    if (!button) { return; }
    var action = button.dataset.action, form = button.closest(".clause-form"), id = form ? form.dataset.clause : null;
    if (action === "check_add") {
      button.before(document.getElementById("check-template").content.cloneNode(true));
      sel(button.parentNode, ".check-row:last-of-type .ask").focus();
      return;
    }
    if (action === "check_delete") { button.closest(".check-row").remove(); clauseChange(form, "checks", true); return; }
    if (action === "add") {
      var box = document.getElementById("add-template").content.cloneNode(true).firstElementChild;
      box.dataset.after = button.dataset.after;
      (form ? form.closest(".clause-card") : button.parentNode).after(box);
      sel(box, ".add-ref").focus();
      return;
    }
    if (action === "add_cancel") { button.closest(".add-clause").remove(); return; }
    flush();
    if (action === "add_confirm") {
      var add = button.closest(".add-clause");
      enqueue({ op: "add", after: add.dataset.after || null, ref: sel(add, ".add-ref").value, text: sel(add, ".add-text").value });
    } else if (action === "split") {
      var t = sel(form, '[data-field="text"]');
      if (!t) { refuse({ clause: id, field: "" }, "分项内容不能拆分，请改用新增条款"); return; }
      var lead = t.value.length - t.value.replace(/^\s+/, "").length;
      enqueue({ op: "split", clause: id, at: t.selectionStart - lead });
    } else if (action === "merge") {
      enqueue({ op: "merge", clause: id });
    } else if (action === "delete") {
      if (window.confirm("删除条款 " + id + "？")) { enqueue({ op: "delete", clause: id }); }
    } else if (action === "unit_add") {
      var row = button.closest(".unit-row");
      enqueue({ op: "unit", name: sel(row, '[data-unit-field="name"]').value, aliases: list(sel(row, '[data-unit-field="aliases"]').value) });
    } else if (action === "unit_delete") {
      var unit = button.closest(".unit-row");
      if (window.confirm("删除单位 " + sel(unit, '[data-unit-field="name"]').value + "？")) { enqueue({ op: "unit_delete", unit: unit.dataset.unit }); }
    }
  });

  all(document, ".recurrence").forEach(layoutRecurrence);
  retry.addEventListener("click", function () { failed = false; pump(); });
  reload.addEventListener("click", function () { window.location.reload(); });
  window.addEventListener("online", function () { if (failed && !stopped) { pump(); } });
  function pending() { return busy || queue.length > 0 || Object.keys(timers).length > 0; }
  window.addEventListener("beforeunload", function (ev) { if (pending() && !reloadAfter) { ev.preventDefault(); ev.returnValue = ""; } });
  document.getElementById("publish-form").addEventListener("submit", function (ev) {
    flush();
    if (pending()) { ev.preventDefault(); publishAfter = true; show("正在保存，保存后发布…", "saving"); }
  });
})();
