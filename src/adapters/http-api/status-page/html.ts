/**
 * Markup that is safe to place in the page as it is. Only the `html` tag makes one, and it
 * escapes every value it is given that is not already markup: a feature name, a reason or a URL
 * from the licence server can only ever show as text.
 */
export class Html {
  private constructor(readonly text: string) {}

  /** For the tag only: text made here has had every interpolated value escaped. */
  static trusted(text: string): Html {
    return new Html(text);
  }
}

export type HtmlValue = Html | string | number | boolean | null | undefined | readonly Html[];

export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): Html {
  let text = strings[0] ?? '';
  values.forEach((value, i) => {
    text += part(value) + (strings[i + 1] ?? '');
  });
  return Html.trusted(text);
}

function part(value: HtmlValue): string {
  if (value instanceof Html) return value.text;
  if (isList(value)) return value.map((item) => item.text).join('');
  if (value === null || value === undefined) return '';
  return escapeHtml(String(value));
}

// Array.isArray does not narrow a readonly array out of a union.
function isList(value: HtmlValue): value is readonly Html[] {
  return Array.isArray(value);
}

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Safe in element content and in quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}
