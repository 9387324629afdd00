// The units being carried to another place, as they are scanned: each unit
// label once, in the order read. A unit is one item: its label read again
// is the same unit (a double read), not one more.

export interface Carried {
  /** The unit labels, in the order first read. */
  labels: string[];
  /** The scan just added was already in the list. */
  repeated: boolean;
}

/** `labels` with `barcode` added, unless blank or already there. */
export function carry(labels: readonly string[], barcode: string): Carried {
  const code = barcode.trim();
  if (!code) return { labels: [...labels], repeated: false };
  if (labels.includes(code)) return { labels: [...labels], repeated: true };
  return { labels: [...labels, code], repeated: false };
}
