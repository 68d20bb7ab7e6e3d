// Citations: [n] markers and source chips open the source's card right below the paragraph, list item
// or chip row they stand in. Everything happens in the browser (no rerun), so a card stays open while
// the reader expands its context. The HTML comes from ui/citations.py, where all document text is escaped.
export default function (component) {
  const { data, parentElement } = component;
  let root = parentElement.querySelector(".kc");
  if (!root) {
    root = document.createElement("div");
    root.className = "kc";
    parentElement.appendChild(root);
  }
  if (root.dataset.version === data.version) return;
  root.dataset.version = data.version;
  root.innerHTML = data.html;
  // Listeners are added once per element; they read the current data from here.
  const state = (root._state = root._state || { open: null });
  state.cards = data.cards || {};
  state.copy = data.copy || "";
  state.open = null;
  if (root._wired) return;
  root._wired = true;

  const cardsOf = () => state.cards;

  function setExpanded(n, value) {
    root.querySelectorAll(`[data-n="${n}"]`).forEach((b) => b.setAttribute("aria-expanded", String(value)));
  }

  function close() {
    if (!state.open) return;
    state.open.slot.remove();
    setExpanded(state.open.n, false);
    state.open = null;
  }

  function show(button) {
    const n = button.dataset.n;
    const card = button.dataset.card || n;
    const anchor = button.closest("li, p, table, .table-wrap, .sources, blockquote, h2, h3") || button;
    if (state.open && state.open.card === card && state.open.anchor === anchor) {
      close();
      button.focus();
      return;
    }
    close();
    const slot = document.createElement("div");
    slot.className = "card-slot";
    slot.innerHTML = cardsOf()[card] || cardsOf()[n] || "";
    if (anchor.tagName === "LI") anchor.appendChild(slot);
    else (anchor.closest(".table-wrap") || anchor).insertAdjacentElement("afterend", slot);
    state.open = { slot, n, card, anchor };
    setExpanded(n, true);
    slot.querySelector("button.close")?.addEventListener("click", () => { close(); button.focus(); });
    const more = slot.querySelector("button.more");
    if (more) {
      more.addEventListener("click", () => {
        const context = slot.querySelector(".context");
        const expand = context.hidden;
        context.hidden = !expand;
        // The context contains the passage, quote marked: show one or the other.
        slot.querySelector(".passage").hidden = expand;
        more.setAttribute("aria-expanded", String(expand));
        more.textContent = expand ? "Visa mindre av sammanhanget" : "Visa mer av sammanhanget i dokumentet";
      });
    }
    slot.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  async function copy(button) {
    const text = state.copy;
    let ok = false;
    try {
      await navigator.clipboard.writeText(text);
      ok = true;
    } catch (e) {
      // Not a secure context (plain http on an intranet host): the old way still works.
      const area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      root.appendChild(area);
      area.select();
      try { ok = document.execCommand("copy"); } catch (e2) { ok = false; }
      area.remove();
    }
    const done = root.querySelector(".actions .done");
    if (done) {
      done.textContent = ok ? "Kopierat – klistra in var du vill." : "Kunde inte kopiera. Markera texten och kopiera själv.";
      setTimeout(() => { done.textContent = ""; }, 4000);
    }
  }

  root.addEventListener("click", (event) => {
    const target = event.target.closest("button");
    if (!target || !root.contains(target)) return;
    if (target.matches("button.cite, button.chip, button.src")) show(target);
    else if (target.matches("button.copy")) copy(target);
  });
  root.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && state.open) {
      const n = state.open.n;
      close();
      root.querySelector(`[data-n="${n}"]`)?.focus();
    }
  });
}
