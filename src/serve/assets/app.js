// The workbench's one script: dropping files or folders on the page sends
// them as the upload form would. Everything else works without it.
(function () {
  var zone = document.getElementById("drop");
  if (!zone) return;
  var csrf = document.querySelector('meta[name="csrf"]').content;
  var said = document.getElementById("drop-status");
  function entries(item, out) {
    return new Promise(function (done) {
      if (item.isFile) {
        item.file(function (f) { out.push(f); done(); }, done);
      } else if (item.isDirectory) {
        var reader = item.createReader(), all = [];
        (function more() {
          reader.readEntries(function (batch) {
            if (!batch.length) {
              Promise.all(all.map(function (e) { return entries(e, out); })).then(done);
            } else { all = all.concat(Array.prototype.slice.call(batch)); more(); }
          }, done);
        })();
      } else { done(); }
    });
  }
  function send(files) {
    if (!files.length) return;
    var form = new FormData();
    var by = document.getElementById("uploader");
    if (by && by.value) form.append("by", by.value);
    files.forEach(function (f) { form.append("file", f, f.name); });
    said.textContent = "正在上传并检查 " + files.length + " 个文件……";
    fetch("/api/submissions", { method: "POST", body: form, headers: { "X-CSRF-Token": csrf }, credentials: "same-origin" })
      .then(function (r) {
        if (r.ok) { location.reload(); return; }
        return r.text().then(function (t) { said.textContent = "上传失败（" + r.status + "）：" + t; });
      })
      .catch(function (e) { said.textContent = "上传失败：" + e; });
  }
  ["dragenter", "dragover"].forEach(function (n) {
    zone.addEventListener(n, function (e) { e.preventDefault(); zone.classList.add("over"); });
  });
  zone.addEventListener("dragleave", function () { zone.classList.remove("over"); });
  zone.addEventListener("drop", function (e) {
    e.preventDefault();
    zone.classList.remove("over");
    var items = e.dataTransfer.items, out = [], waits = [];
    if (items && items.length && items[0].webkitGetAsEntry) {
      for (var i = 0; i < items.length; i++) {
        var entry = items[i].webkitGetAsEntry();
        if (entry) waits.push(entries(entry, out));
      }
      Promise.all(waits).then(function () { send(out); });
    } else {
      send(Array.prototype.slice.call(e.dataTransfer.files));
    }
  });
})();
