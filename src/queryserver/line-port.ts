import { readSync, writeSync } from "node:fs";
import { collectGarbage } from "./garbage.js";

/** Where protocol lines come from and go to: stdin/stdout in production, arrays in tests. */
export interface LinePort {
  /** Writes one line (without its newline). */
  send(line: string): void;
  /** Blocks for the next line (without its newline); null at end of input. */
  receive(): string | null;
}

/** stdout was closed by the reader (EPIPE): CouchDB is gone. The one clean exit besides end of input. */
export class OutputClosed extends Error {
  constructor() {
    super("stdout is closed (EPIPE)");
  }
}

/** Runs one whole-line write so that no other writer's bytes can land inside it. */
export type ExclusiveOutput = (write: () => void) => void;

const NEWLINE = 0x0a;
/** Buffer size to start with and to return to after a long line. */
const INITIAL_BUFFER = 1 << 16;
/**
 * Buffers grown past this for one huge line are given back once it is done, and a full GC
 * runs before the next line, when nothing of the huge one is in use any more.
 */
const KEEP_BUFFER = 8 << 20;
const pauseCell = new Int32Array(new SharedArrayBuffer(4));

/** A non-blocking stdin (EAGAIN) is polled without spinning the CPU. */
function pauseBriefly(): void {
  Atomics.wait(pauseCell, 0, 0, 1);
}

/**
 * Synchronous stdio: list functions call getRow() in the middle of user code, so reads must
 * block, and request/response traffic gains nothing from async I/O anyway. One reusable input
 * buffer that grows for long lines (64 MiB documents) and shrinks back after them; invalid
 * UTF-8 decodes to U+FFFD. Each line is written inside `exclusive` (the watchdog's lock, so its
 * timeout line never lands inside one of ours).
 */
export class StdioPort implements LinePort {
  private buffer = Buffer.allocUnsafe(INITIAL_BUFFER);
  /** Reused for every line written: replies are encoded into it instead of a new Buffer each. */
  private output = Buffer.allocUnsafe(INITIAL_BUFFER);
  private start = 0;
  private end = 0;
  private eof = false;
  private collectBeforeNextLine = false;

  constructor(
    private readonly inputFd = 0,
    private readonly outputFd = 1,
    private readonly exclusive: ExclusiveOutput = (write) => write(),
  ) {}

  send(line: string): void {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8; only measure exactly when that may not fit.
    if (line.length * 3 + 1 > this.output.length) {
      const needed = Buffer.byteLength(line, "utf8") + 1;
      if (needed > this.output.length) this.output = Buffer.allocUnsafe(Math.max(needed, this.output.length * 2));
    }
    const length = this.output.write(line, 0, "utf8");
    this.output[length] = NEWLINE;
    this.exclusive(() => writeAll(this.outputFd, this.output.subarray(0, length + 1)));
    if (this.output.length > KEEP_BUFFER) {
      this.output = Buffer.allocUnsafe(INITIAL_BUFFER);
      this.collectBeforeNextLine = true;
    }
  }

  receive(): string | null {
    if (this.collectBeforeNextLine) {
      this.collectBeforeNextLine = false;
      collectGarbage();
    }
    let scanFrom = this.start;
    for (;;) {
      const newline = this.buffer.indexOf(NEWLINE, scanFrom);
      if (newline !== -1 && newline < this.end) {
        const line = this.buffer.toString("utf8", this.start, newline);
        this.start = newline + 1;
        this.shrinkInput();
        return line;
      }
      if (this.eof) return this.takeRest();
      const scanned = this.end - this.start;
      this.fill();
      scanFrom = this.start + scanned;
    }
  }

  /** After a huge line, back to the initial size unless what is left still needs more. */
  private shrinkInput(): void {
    const left = this.end - this.start;
    if (this.buffer.length <= KEEP_BUFFER || left > INITIAL_BUFFER / 2) return;
    const smaller = Buffer.allocUnsafe(INITIAL_BUFFER);
    this.buffer.copy(smaller, 0, this.start, this.end);
    this.buffer = smaller;
    this.start = 0;
    this.end = left;
    this.collectBeforeNextLine = true;
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
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EPIPE") throw new OutputClosed();
      if (code !== "EAGAIN") throw error;
      pauseBriefly();
    }
  }
}
