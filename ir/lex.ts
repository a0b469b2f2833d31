//! The tokens of one line of IR text: words, numbers and punctuation; `;` starts a
//! comment that runs to the end of the line.

export type TokenKind = 'word' | 'number' | 'punct';

export interface Token {
  kind: TokenKind;
  text: string;
  /** 1-based column, for messages. */
  col: number;
}

export class LexError extends Error {}

const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /-?[0-9][0-9A-Za-z_]*/y;
const PUNCT = '.,:=()[]{}@';

export function lexLine(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === ';') break;
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (PUNCT.includes(c)) {
      tokens.push({ kind: 'punct', text: c, col: i + 1 });
      i++;
      continue;
    }
    const re = c === '-' || (c >= '0' && c <= '9') ? NUMBER : WORD;
    re.lastIndex = i;
    const m = re.exec(line);
    if (m === null) throw new LexError(`unexpected character '${c}' at column ${i + 1}`);
    tokens.push({ kind: re === NUMBER ? 'number' : 'word', text: m[0], col: i + 1 });
    i += m[0].length;
  }
  return tokens;
}

/** The comment of a line (text after the first `;`, trimmed), or undefined. */
export function lineComment(line: string): string | undefined {
  const at = line.indexOf(';');
  return at < 0 ? undefined : line.slice(at + 1).trim();
}
