/* checklist web app: each answer is saved the moment it is given (fetch + X-CSRF-Token), the
   check shows 已保存 / 未保存 with 重试, and nothing unsaved is left without a warning. */
"use strict";
(function () {
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var root = document.getElementById("audit");
  if (!root) { return; }
  var api = root.dataset.api, photoApi = root.dataset.photos;
  var states = {};  // check id -> {busy, again, failed, photo}
  // what each result needs and the fields' names: sent by the server (the audit schema's rules)
  var DATA = JSON.parse(document.getElementById("page-data").textContent);

  function st(id) { return states[id] || (states[id] = { busy: false, again: false, failed: false }); }
  function val(form, name) { var el = form.elements[name]; return el ? el.value.trim() : ""; }

  function show(form, text, kind, retry) {
    var p = form.querySelector(".state");
    p.className = "state" + (kind ? " " + kind : "");
    p.querySelector(".msg").textContent = text;
    p.querySelector(".retry").hidden = !retry;
    var any = Object.keys(states).some(function (k) { return states[k].failed; });
    document.getElementById("unsaved-alert").hidden = !any;
  }

  function payload(form) {
    var result = (form.querySelector('input[name="result"]:checked') || {}).value || "unchecked";
    var body = { result: result, note: val(form, "note"), reason: val(form, "reason"), previous: form.dataset.result };
    if (result === "fail") {
      var plan = {};
      ["goal", "method", "funds", "team", "schedule", "safety"].forEach(function (k) { plan[k] = val(form, "plan_" + k); });
      body.finding = { hazard: val(form, "hazard"), description: val(form, "description"), place: val(form, "place"),
                       basis: val(form, "basis"), basis_reason: val(form, "basis_reason"), measure: val(form, "measure"), owner: val(form, "owner"),
                       due: val(form, "due"), interim_measures: val(form, "interim_measures"), plan: plan };
    }
    return body;
  }

  function lookup(body, path) {
    return path.split(".").reduce(function (v, k) { return v && v[k]; }, body);
  }

  function missing(body) {
    return (DATA.required[body.result] || []).filter(function (path) { return !lookup(body, path); })
      .map(function (path) { return DATA.fields[path] || path; });
  }

  function layout(form) {
    var result = (form.querySelector('input[name="result"]:checked') || {}).value;
    var finding = form.querySelector(".finding"), na = form.querySelector(".na");
    if (result === "fail" && !finding) {
      form.querySelector(".photos").before(document.getElementById("finding-template").content.cloneNode(true));
    }
    if (result === "na" && !na) {
      form.querySelector(".photos").before(document.getElementById("na-template").content.cloneNode(true));
    }
    if (finding) { finding.hidden = result !== "fail"; }
    if (na) { na.hidden = result !== "na"; }
  }

  function save(form) {
    var id = form.dataset.check, s = st(id);
    if (s.busy) { s.again = true; return; }
    var body = payload(form), lack = missing(body);
    if (lack.length) { s.failed = true; show(form, "未保存：请填写" + lack.join("、"), "unsaved", false); return; }
    s.busy = true; s.again = false;
    show(form, "正在保存…", "saving", false);
    fetch(api.replace("CHECK", encodeURIComponent(id)), {
      method: "PUT", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) { return { ok: r.ok, status: r.status, data: data }; });
    }).then(function (res) {
      s.busy = false;
      if (res.ok) {
        s.failed = false;
        form.dataset.result = res.data.check.result;
        document.getElementById("answered").textContent = res.data.answered;
        show(form, "已保存 " + new Date().toLocaleTimeString("zh-CN", { hour12: false }), "", false);
      } else {
        s.failed = true;
        var err = res.data.error || {};
        if (res.status === 409 && err.current) { form.dataset.result = err.current.result; }
        var msg = err.message || ("服务器返回 " + res.status);
        if (res.status === 401) { msg = "登录已过期，请在新窗口重新登录后点重试"; }
        show(form, "未保存：" + msg + (res.status === 409 ? "（点重试将以您的答案为准）" : ""), "unsaved", true);
      }
      if (s.again) { save(form); }
    }).catch(function () {
      s.busy = false; s.failed = true;
      show(form, "未保存：网络中断，恢复后点重试（或将自动重试）", "unsaved", true);
    });
  }

  function upload(form, file) {
    var id = form.dataset.check, s = st(id), data = new FormData();
    data.append("photo", file);
    show(form, "照片上传中…", "saving", false);
    fetch(photoApi.replace("CHECK", encodeURIComponent(id)), {
      method: "POST", credentials: "same-origin", headers: { "Accept": "application/json", "X-CSRF-Token": csrf }, body: data
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (d) { return { ok: r.ok, status: r.status, data: d }; });
    }).then(function (res) {
      if (res.ok) {
        s.failed = false; s.photo = null;
        var ul = form.querySelector(".thumbs");
        if (!ul.querySelector('img[src="' + res.data.url + '"]')) {
          var li = document.createElement("li"), img = document.createElement("img");
          img.src = res.data.url; img.alt = "现场照片"; li.appendChild(img); ul.appendChild(li);
        }
        show(form, "照片已保存", "", false);
      } else {
        s.failed = true; s.photo = file;
        show(form, "照片未保存：" + ((res.data.error || {}).message || res.status), "unsaved", true);
      }
    }).catch(function () {
      s.failed = true; s.photo = file;
      show(form, "照片未保存：网络中断，点重试", "unsaved", true);
    });
  }

  var timers = {};
  root.addEventListener("submit", function (ev) { ev.preventDefault(); });
  root.addEventListener("change", function (ev) {
    var form = ev.target.form;
    if (!form || !form.classList.contains("check")) { return; }
    if (ev.target.type === "file") {
      Array.prototype.forEach.call(ev.target.files, function (f) { upload(form, f); });
      ev.target.value = "";
      return;
    }
    if (ev.target.name === "result") { layout(form); }
    clearTimeout(timers[form.dataset.check]);
    save(form);
  });
  root.addEventListener("input", function (ev) {
    var form = ev.target.form;
    if (!form || ev.target.type === "radio" || ev.target.type === "file") { return; }
    var id = form.dataset.check;
    clearTimeout(timers[id]);
    show(form, "未保存：正在输入…", "saving", false);
    timers[id] = setTimeout(function () { save(form); }, 800);
  });
  root.addEventListener("click", function (ev) {
    if (!ev.target.classList.contains("retry")) { return; }
    var form = ev.target.closest("form"), s = st(form.dataset.check);
    if (s.photo) { upload(form, s.photo); } else { save(form); }
  });
  window.addEventListener("online", function () {
    Object.keys(states).forEach(function (id) {
      if (states[id].failed) { document.getElementById("c-" + id).querySelector(".retry").click(); }
    });
  });
  function pending() {
    return Object.keys(states).some(function (k) { return states[k].failed || states[k].busy; }) ||
      Object.keys(timers).some(function (k) { return timers[k] && document.getElementById("c-" + k).querySelector(".state.saving"); });
  }
  window.addEventListener("beforeunload", function (ev) { if (pending()) { ev.preventDefault(); ev.returnValue = ""; } });
  var finish = document.getElementById("finish");
  if (finish) {
    finish.addEventListener("submit", function (ev) {
      if (pending()) { ev.preventDefault(); document.getElementById("unsaved-alert").hidden = false; document.getElementById("unsaved-alert").scrollIntoView(); }
    });
  }
})();
