// Uploads at the counter: the Vietnamese file control lists the chosen files, a file can be
// dragged onto the form, and the form is sent by XHR with a progress bar per file. The
// server answers every upload with a redirect to the dossier's screen (errors included, in
// a one-time message), so the page simply goes there when the upload ends.
(function () {
  "use strict";
  const sizeText = (n) => n >= 1048576 ? (n / 1048576).toFixed(1) + " MB"
    : Math.max(1, Math.round(n / 1024)) + " KB";

  function list(form) {
    const input = form.querySelector("input[type=file]");
    const chosen = form.querySelector(".file-chosen");
    const items = form.querySelector(".upload-list");
    const files = Array.from(input.files);
    chosen.textContent = files.length ? files.length + " tệp đã chọn" : chosen.dataset.empty;
    chosen.classList.remove("upload-error");
    form.querySelector("button[type=submit]").classList.toggle("primary", files.length > 0);
    items.innerHTML = "";
    for (const file of files) {
      const li = document.createElement("li");
      const name = document.createElement("span");
      name.className = "upload-name";
      name.textContent = file.name + " (" + sizeText(file.size) + ")";
      const bar = document.createElement("progress");
      bar.max = 100; bar.value = 0;
      bar.setAttribute("aria-label", "Tiến độ tải lên " + file.name);
      const pct = document.createElement("span");
      pct.className = "upload-pct";
      pct.textContent = "";
      li.append(name, bar, pct);
      items.append(li);
    }
  }

  function send(form, event) {
    const input = form.querySelector("input[type=file]");
    const files = Array.from(input.files);
    if (!files.length || !window.FormData) return;  // the server names the problem
    event.preventDefault();
    const rows = Array.from(form.querySelectorAll(".upload-list li"));
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    button.textContent = "Đang tải lên…";
    const total = files.reduce((sum, f) => sum + f.size, 0) || 1;
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");  // kept on the redirect
    xhr.upload.onprogress = (e) => {
      // the files go in order: the bytes sent so far fill the bars one after the other
      let sent = e.loaded * total / (e.total || total), start = 0;
      files.forEach((file, i) => {
        const done = Math.max(0, Math.min(file.size, sent - start));
        const pct = file.size ? Math.round(done * 100 / file.size) : 100;
        rows[i].querySelector("progress").value = pct;
        rows[i].querySelector(".upload-pct").textContent = pct + "%";
        start += file.size;
      });
    };
    xhr.onload = () => {
      if (xhr.status >= 400) { refused(form, xhr); return; }  // refused before the route
      rows.forEach((row) => {
        row.querySelector("progress").value = 100;
        row.querySelector(".upload-pct").textContent = "xong";
      });
      window.location.assign(xhr.responseURL || window.location.pathname);
    };
    xhr.onerror = () => {
      button.disabled = false;
      button.textContent = "Tải lên lại";
      const chosen = form.querySelector(".file-chosen");
      chosen.textContent = "Mất kết nối với máy chủ khi tải lên: kiểm tra mạng rồi bấm tải lên lại.";
      chosen.classList.add("upload-error");
    };
    xhr.send(new FormData(form));
  }

  function refused(form, xhr) {
    // the request itself was refused (too large, signed out): say why, stay on the page
    let message = "";
    try { message = JSON.parse(xhr.responseText).error || ""; } catch (e) {
      const holder = document.createElement("div");
      holder.innerHTML = xhr.responseText;
      const problem = holder.querySelector(".problem");
      message = problem ? problem.textContent : "";
    }
    const button = form.querySelector("button[type=submit]");
    button.disabled = false;
    button.textContent = "Tải lên lại";
    const chosen = form.querySelector(".file-chosen");
    chosen.textContent = message || ("Máy chủ không nhận tệp (mã " + xhr.status + ")");
    chosen.classList.add("upload-error");
    chosen.setAttribute("role", "alert");
  }

  function enhance(form) {
    const input = form.querySelector("input[type=file]");
    input.addEventListener("change", () => list(form));
    form.addEventListener("submit", (event) => send(form, event));
    if (!form.classList.contains("dropzone")) return;
    ["dragenter", "dragover"].forEach((type) => form.addEventListener(type, (event) => {
      event.preventDefault();
      form.classList.add("dragging");
    }));
    ["dragleave", "drop"].forEach((type) => form.addEventListener(type, () => {
      form.classList.remove("dragging");
    }));
    form.addEventListener("drop", (event) => {
      event.preventDefault();
      if (!event.dataTransfer || !event.dataTransfer.files.length) return;
      input.files = event.dataTransfer.files;
      list(form);
    });
  }

  // forms inside the live fragment are replaced while pages are read: enhance on demand
  const enhanced = new WeakSet();
  function enhanceAll() {
    document.querySelectorAll("form.upload").forEach((form) => {
      if (!enhanced.has(form)) { enhanced.add(form); enhance(form); }
    });
  }
  enhanceAll();
  new MutationObserver(enhanceAll).observe(document.body, {childList: true, subtree: true});
})();
