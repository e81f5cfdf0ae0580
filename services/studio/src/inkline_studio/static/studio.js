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
