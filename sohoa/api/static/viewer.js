// The page viewer of the counter screen: a click on a thumbnail opens the processed page
// large, with its OCR text, type, warnings and the verdict's reason beside it. Keys: ← →
// between pages, + − 0 to zoom, Esc to close. Plain JS, no library, nothing from the network.
(function () {
  "use strict";
  const viewer = document.getElementById("viewer");
  if (!viewer) return;
  const img = document.getElementById("viewer-img");
  const stage = document.getElementById("viewer-stage");
  const side = document.getElementById("viewer-side");
  const title = document.getElementById("viewer-title");
  const count = document.getElementById("viewer-count");
  const zoomText = document.getElementById("viewer-zoom");
  const STEPS = [0, 1, 1.5, 2, 3];  // 0: the whole page in the frame; else × the frame's width
  let current = 0, step = 0, opener = null;

  // the live fragment replaces the pages while they are read: always ask the document
  const details = () => Array.from(document.querySelectorAll("#pages .page-detail"));

  function show(index) {
    const all = details();
    if (!all.length) return;
    current = (index + all.length) % all.length;
    const detail = all[current];
    title.textContent = detail.dataset.title;
    count.textContent = "(" + (current + 1) + "/" + all.length + ")";
    img.alt = detail.dataset.title;
    if (img.getAttribute("src") !== detail.dataset.src) img.src = detail.dataset.src;
    side.innerHTML = detail.innerHTML;
    viewer.dataset.index = String(current);
    stage.scrollTo(0, 0);
  }

  function zoom(to) {
    step = Math.max(0, Math.min(STEPS.length - 1, to));
    img.classList.toggle("fit", step === 0);
    img.style.width = step === 0 ? "" : (STEPS[step] * 100) + "%";
    zoomText.textContent = step === 0 ? "vừa khung" : Math.round(STEPS[step] * 100) + "%";
  }

  function open(index) {
    opener = document.activeElement;
    viewer.hidden = false;
    document.body.classList.add("viewing");
    zoom(0);
    show(index);
    document.getElementById("viewer-close").focus();
  }

  function close() {
    viewer.hidden = true;
    document.body.classList.remove("viewing");
    if (opener && document.contains(opener)) opener.focus();
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-viewer]");
    if (!button) return;
    const detail = button.closest("figure").querySelector(".page-detail");
    open(details().indexOf(detail));
  });
  document.getElementById("viewer-prev").onclick = () => show(current - 1);
  document.getElementById("viewer-next").onclick = () => show(current + 1);
  document.getElementById("viewer-zoom-in").onclick = () => zoom(step + 1);
  document.getElementById("viewer-zoom-out").onclick = () => zoom(step - 1);
  document.getElementById("viewer-fit").onclick = () => zoom(0);
  document.getElementById("viewer-close").onclick = close;
  img.addEventListener("click", () => zoom(step === 0 ? 2 : 0));  // click: read closer
  stage.addEventListener("wheel", (event) => {
    if (!event.ctrlKey) return;
    event.preventDefault();
    zoom(step + (event.deltaY < 0 ? 1 : -1));
  }, {passive: false});
  document.addEventListener("keydown", (event) => {
    if (viewer.hidden) return;
    const keys = {
      ArrowLeft: () => show(current - 1), ArrowRight: () => show(current + 1),
      Escape: close, "+": () => zoom(step + 1), "=": () => zoom(step + 1),
      "-": () => zoom(step - 1), "0": () => zoom(0),
    };
    const action = keys[event.key];
    if (action) { event.preventDefault(); action(); }
  });
})();
