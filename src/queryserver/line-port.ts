import { readSync, writeSync } from "node:fs";

/** Where protocol lines come from and go to: stdin/stdout in production, arrays in tests. */
export interface LinePort {
  /** Writes one line (without its newline). */
  send(line: string): void;
  /** Blocks for the next line (without its newline); null at end of input. */
  receive(): string | null;
}

const NEWLINE = 0x0a;
const pauseCell = new Int32Array(new SharedArrayBuffer(4));

/** A non-blocking stdin (EAGAIN) is polled without spinning the CPU. */
function pauseBriefly(): void {
  Atomics.wait(pauseCell, 0, 0, 1);
}

/**
 * Synchronous stdio: list functions call getRow() in the middle of user code, so reads must
 * block, and request/response traffic gains nothing from async I/O anyway. One reusable input
 * buffer that grows for long lines (64 MiB documents); invalid UTF-8 decodes to U+FFFD.
 */
export class StdioPort implements LinePort {
  private buffer = Buffer.allocUnsafe(1 << 16);
  /** Reused for every line written: replies are encoded into it instead of a new Buffer each. */
  private output = Buffer.allocUnsafe(1 << 16);
  private start = 0;
  private end = 0;
  private eof = false;

  constructor(
    private readonly inputFd = 0,
    private readonly outputFd = 1,
  ) {}

  send(line: string): void {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8; only measure exactly when that may not fit.
    if (line.length * 3 + 1 > this.output.length) {
      const needed = Buffer.byteLength(line, "utf8") + 1;
      if (needed > this.output.length) this.output = Buffer.allocUnsafe(Math.max(needed, this.output.length * 2));
    }
    const length = this.output.write(line, 0, "utf8");
    this.output[length] = NEWLINE;
    writeAll(this.outputFd, this.output.subarray(0, length + 1));
  }

  receive(): string | null {
    let scanFrom = this.start;
    for (;;) {
      const newline = this.buffer.indexOf(NEWLINE, scanFrom);
      if (newline !== -1 && newline < this.end) {
        const line = this.buffer.toString("utf8", this.start, newline);
        this.start = newline + 1;
        return line;
      }
      if (this.eof) return this.takeRest();
      const scanned = this.end - this.start;
      this.fill();
      scanFrom = this.start + scanned;
    }
  }

  /** A last line without a trailing newline still counts. */
  private takeRest(): string | null {
    if (this.start >= this.end) return null;
    const line = this.buffer.toString("utf8", this.start, this.end);
    this.start = this.end;
    return line;
  }

  private fill(): void {
    if (this.start > 0) {
      this.buffer.copy(this.buffer, 0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
    }
    if (this.end === this.buffer.length) {
      const bigger = Buffer.allocUnsafe(this.buffer.length * 2);
      this.buffer.copy(bigger, 0, 0, this.end);
      this.buffer = bigger;
    }
    const read = readRetrying(this.inputFd, this.buffer, this.end);
    if (read === 0) this.eof = true;
    this.end += read;
  }
}

function readRetrying(fd: number, buffer: Buffer, offset: number): number {
  for (;;) {
    try {
      return readSync(fd, buffer, offset, buffer.length - offset, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") {
        pauseBriefly();
        continue;
      }
      if (code === "EOF") return 0;
      throw error;
    }
  }
}

function writeAll(fd: number, bytes: Buffer): void {
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(fd, bytes, offset, bytes.length - offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
      pauseBriefly();
    }
  }
}
