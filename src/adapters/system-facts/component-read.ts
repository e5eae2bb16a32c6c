import type { FactAttempt } from '../../agent/identity-ports.js';
import { tryReadText, type ReadText } from './read-text.js';

export interface ComponentRead {
  readonly value: string | null;
  readonly attempts: readonly FactAttempt[];
}

/** What a source's text means: the value, or why it is not one. */
export type Interpretation =
  | { readonly kind: 'value'; readonly value: string }
  | { readonly kind: 'placeholder' | 'malformed'; readonly detail: string };

/** Reads one source and says what it amounts to, so `hwid` can show every step. */
export async function attempt(
  read: ReadText,
  path: string,
  interpret: (text: string) => Interpretation,
): Promise<{ readonly value: string | null; readonly attempt: FactAttempt }> {
  const file = await tryReadText(read, path);
  if (file.kind === 'missing') {
    return { value: null, attempt: { source: path, result: file.result, detail: file.detail } };
  }
  const meaning = interpret(file.text);
  switch (meaning.kind) {
    case 'value':
      return { value: meaning.value, attempt: { source: path, result: 'used' } };
    case 'placeholder':
    case 'malformed':
      return {
        value: null,
        attempt: { source: path, result: meaning.kind, detail: meaning.detail },
      };
    default: {
      const never: never = meaning;
      return never;
    }
  }
}
