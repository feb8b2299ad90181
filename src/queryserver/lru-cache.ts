/** How much one cache may hold: both limits apply; the least recently used entries go first. */
export interface CacheLimits {
  maxEntries: number;
  /** Sum of the entries' `bytes` (an estimate given by the caller, e.g. source text length). */
  maxBytes: number;
}

/**
 * A map bounded by entry count and by bytes, evicting least recently used entries (a Map
 * keeps insertion order, so a hit re-inserts its key at the end). Every cache of the query
 * server is one of these, so memory stays flat however many sources or design documents one
 * process sees. An entry larger than `maxBytes` on its own is not kept at all.
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, { value: V; bytes: number }>();
  private totalBytes = 0;

  constructor(
    private readonly limits: CacheLimits,
    /** Called with every entry pushed out by the limits. */
    private readonly evicted: (value: V) => void = () => {},
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: K, value: V, bytes: number): void {
    this.delete(key);
    if (bytes > this.limits.maxBytes) return;
    this.entries.set(key, { value, bytes });
    this.totalBytes += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.limits.maxEntries && this.totalBytes <= this.limits.maxBytes) break;
      this.entries.delete(oldest);
      this.totalBytes -= entry.bytes;
      this.evicted(entry.value);
    }
  }

  delete(key: K): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.totalBytes -= entry.bytes;
  }
}
