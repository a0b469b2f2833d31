//! Where parsed regions, blocks and instructions came from in their text, kept beside
//! the data (a weak side table) so that the IR objects stay plain and comparable.

const LINES = new WeakMap<object, number>();

export function setSourceLine(node: object, line: number): void {
  LINES.set(node, line);
}

/** The 1-based text line a parsed node was read from, if it was parsed. */
export function sourceLine(node: object): number | undefined {
  return LINES.get(node);
}
