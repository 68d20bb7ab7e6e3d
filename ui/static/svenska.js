// Streamlit's own English words in Swedish, as they appear (the table is in ui/text.py).
export default function (component) {
  const { data } = component;
  if (window.__kategoriSvenska) return;
  window.__kategoriSvenska = true;
  const compile = (rules) => rules.map(([pattern, replacement]) => [new RegExp(pattern), replacement]);
  const textRules = compile(data.text);
  const attrRules = compile(data.attr);
  const ATTRS = ["aria-label", "title", "placeholder"];

  function translated(value, rules) {
    const trimmed = value.trim();
    for (const [re, replacement] of rules) {
      if (re.test(trimmed)) return value.replace(trimmed, trimmed.replace(re, replacement));
    }
    return null;
  }

  function fixText(node) {
    if (!node.nodeValue || !node.nodeValue.trim()) return;
    const parent = node.parentElement;
    if (parent && parent.closest("[data-testid=stMarkdownContainer] p, .kc, textarea, input, code, pre")) {
      // Our own texts and what users typed are never translated, except Streamlit's button captions.
      if (!parent.closest("[data-testid=stFileUploaderDropzone] button, [data-testid=stStatusWidget]")) return;
    }
    const out = translated(node.nodeValue, textRules);
    if (out !== null && out !== node.nodeValue) node.nodeValue = out;
  }

  function fixElement(el) {
    for (const name of ATTRS) {
      const value = el.getAttribute && el.getAttribute(name);
      if (value) {
        const out = translated(value, attrRules);
        if (out !== null && out !== value) el.setAttribute(name, out);
      }
    }
  }

  function walk(root) {
    if (root.nodeType === Node.TEXT_NODE) return fixText(root);
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    fixElement(root);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.nodeType === Node.TEXT_NODE) fixText(node);
      else fixElement(node);
    }
  }

  new MutationObserver((mutations) => {
    for (const m of mutations) {
      if (m.type === "characterData") fixText(m.target);
      else if (m.type === "attributes") fixElement(m.target);
      else m.addedNodes.forEach(walk);
    }
  }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true,
                              attributeFilter: ATTRS });
  walk(document.body);
  document.documentElement.lang = "sv";
}
