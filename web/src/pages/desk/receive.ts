// The delivery being scanned: one line per distinct label with how many of
// it were read, in the order first read; the running count is their sum.

export interface TallyLine {
  barcode: string;
  quantity: number;
}

/** `lines` with one more read of `barcode` (a new line, or one more of it). */
export function addScan(lines: readonly TallyLine[], barcode: string): TallyLine[] {
  const code = barcode.trim();
  if (!code) return [...lines];
  const i = lines.findIndex((l) => l.barcode === code);
  if (i < 0) return [...lines, { barcode: code, quantity: 1 }];
  return lines.map((l, j) => (j === i ? { ...l, quantity: l.quantity + 1 } : l));
}

/** `lines` with the line of `barcode` set to `quantity` (0 or less removes it). */
export function setQuantity(lines: readonly TallyLine[], barcode: string, quantity: number): TallyLine[] {
  if (!(quantity > 0)) return lines.filter((l) => l.barcode !== barcode);
  return lines.map((l) => (l.barcode === barcode ? { ...l, quantity: Math.floor(quantity) } : l));
}

/** Items read in all. */
export function tallyCount(lines: readonly TallyLine[]): number {
  return lines.reduce((n, l) => n + l.quantity, 0);
}
