// What a keyboard-wedge barcode scanner types, turned into scans.
//
// A scanner types the barcode's characters and then a terminator: CR (the
// Enter key), LF, CR+LF, or Tab, depending on how it is configured.
// ScanLineSplitter cuts that stream into lines: CR+LF counts once (a scanner
// sending CR+LF must not make an empty second scan), and an empty or blank
// line is ignored. DoubleReadFilter drops a scanner's double read: the same
// barcode again within a short window (the label read twice).

/** Cuts a character stream into scanned lines. */
export class ScanLineSplitter {
  private pending = "";
  private afterCR = false;

  /**
   * Adds typed or pasted text (which may hold terminators) and returns the
   * lines it completed, in order, without their terminators. Blank lines
   * are dropped.
   */
  push(chunk: string): string[] {
    const lines: string[] = [];
    for (const ch of chunk) {
      if (ch === "\n" && this.afterCR) {
        // The LF of a CR+LF: the line already ended at the CR.
        this.afterCR = false;
        continue;
      }
      this.afterCR = ch === "\r";
      if (ch === "\r" || ch === "\n" || ch === "\t") {
        const line = this.pending;
        this.pending = "";
        if (line.trim() !== "") lines.push(line);
      } else {
        this.pending += ch;
      }
    }
    return lines;
  }

  /** What was typed since the last terminator (not yet a scan). */
  get rest(): string {
    return this.pending;
  }

  /**
   * Forgets the unfinished line but not whether the last character was a CR:
   * for a field that holds the unfinished line itself and pushes it again
   * with the terminator (`push(field.value + "\r")`).
   */
  discardPending(): void {
    this.pending = "";
  }
}

/** How close two reads of one label are to count as one (milliseconds). */
export const DOUBLE_READ_WINDOW_MS = 1000;

/**
 * Drops a repeat of the same barcode within `windowMs` of the previous read
 * of it. The window slides: a scanner re-reading a label again and again
 * makes one scan. A different barcode in between ends the repeat.
 */
export class DoubleReadFilter {
  private last = "";
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly windowMs: number = DOUBLE_READ_WINDOW_MS) {}

  /** True when `barcode`, read at `nowMs`, is a new scan to send. */
  accept(barcode: string, nowMs: number): boolean {
    const repeat = barcode === this.last && nowMs - this.lastAt < this.windowMs;
    this.last = barcode;
    this.lastAt = nowMs;
    return !repeat;
  }
}
