// The link to the same page in the other edition (English ⇄ 中文), put at the start of the page's header buttons.
// book/_gradcourse_book.py writes its address into <meta name="gc-other-edition">; the link carries the section
// the reader is in (the #… of the address) along, because both editions give each section the same anchor.
const meta = document.querySelector('meta[name="gc-other-edition"]');
if (meta) {
  const link = document.createElement("a");
  link.className = "btn gc-language-switch";
  link.href = meta.content;
  link.hreflang = meta.dataset.lang;
  link.lang = meta.dataset.lang;
  link.title = meta.dataset.title;
  link.textContent = meta.dataset.label;
  link.addEventListener("click", () => { link.href = meta.content + window.location.hash; });
  const place = document.querySelector(".article-header-buttons")
    || document.querySelector(".header-article-items__end")
    || document.body;
  place.prepend(link);
}
