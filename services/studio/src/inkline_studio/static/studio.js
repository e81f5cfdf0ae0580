// The campaign builder's live count: when the audience form changes, ask the studio for the new count and
// put it in place. Without JavaScript the "Count again" button does the same with a page load.
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form[data-live-count]")) {
    let pending = null;
    const refresh = async () => {
      const body = new URLSearchParams(new FormData(form));
      const response = await fetch(form.dataset.liveCount, { method: "POST", body, credentials: "same-origin" });
      const html = await response.text();
      const current = form.querySelector("#audience-count");
      if (current) current.outerHTML = html;
    };
    const later = (event) => {
      if (event.target.name === "name") return;
      clearTimeout(pending);
      pending = setTimeout(refresh, 250);
    };
    form.addEventListener("input", later);
    form.addEventListener("change", later);
  }
});

// The calendar: drag a booking onto another day to move it there at the same time. The drop fills the
// booking's own "Move" form (the one a phone uses) and sends it, so both go the same way.
document.addEventListener("DOMContentLoaded", () => {
  const week = document.querySelector("ol.week");
  if (!week) return;
  let dragged = null;
  week.addEventListener("dragstart", (event) => {
    const entry = event.target.closest && event.target.closest("[data-booking]");
    if (!entry) return;
    dragged = entry.dataset.booking;
    event.dataTransfer.setData("text/plain", dragged);
    event.dataTransfer.effectAllowed = "move";
    entry.classList.add("dragging");
  });
  week.addEventListener("dragend", (event) => {
    if (event.target.classList) event.target.classList.remove("dragging");
    for (const day of week.querySelectorAll(".drop-target")) day.classList.remove("drop-target");
    dragged = null;
  });
  week.addEventListener("dragover", (event) => {
    const day = event.target.closest("[data-drop-day]");
    if (!day || !dragged) return;
    event.preventDefault();
    for (const other of week.querySelectorAll(".drop-target")) if (other !== day) other.classList.remove("drop-target");
    day.classList.add("drop-target");
  });
  week.addEventListener("drop", (event) => {
    const day = event.target.closest("[data-drop-day]");
    const booking = event.dataTransfer.getData("text/plain") || dragged;
    const form = booking && week.querySelector(`form[data-move="${booking}"]`);
    if (!day || !form) return;
    event.preventDefault();
    if (form.elements.day.value === day.dataset.dropDay) return;
    form.elements.day.value = day.dataset.dropDay;
    form.requestSubmit();
  });
});
