// The session's memory budget for decompressed data. A gzip'd file of a few megabytes can inflate
// to gigabytes (a decompression bomb; deflate reaches 1032:1), and the files of one session
// decode at the same time: four 10 MB bombs at 2 GiB each took 8.9 GB (issue 21). So every byte
// that gzip inflates is drawn from one budget shared by the whole session, and a file that needs
// more than it was granted is stopped there with a message that names the budget.
//
// Files decode in separate workers, which cannot share a counter (a SharedArrayBuffer needs a
// cross-origin isolated page, which a static host cannot promise). The budget therefore lives on
// the main thread (in the CLI, in the process) and works by allowances:
//
//   const budget = new InflateBudget();                // one per session
//   const want = gzipWant(head, tail, size);             // 0: not gzip'd; null: not known yet
//   const limit = budget.grant(fileId, want);            // reserve, before the job starts
//   ... decodeFile(name, bytes, { inflate: limit })      // in the worker: inflate stops at
//                                                        // limit.allowanceBytes
//   budget.settle(fileId, file.inflatedBytes ?? 0);      // done: keep what the file holds
//   budget.release(fileId);                              // failed, cancelled or removed
//
// What a file keeps charged after `settle` is its decompressed size: the model built from it stays
// in the session, roughly in proportion. A grant is a reservation, so two jobs in flight can
// never together inflate past the budget. A gzip stream declares its size in its trailer (ISIZE,
// RFC 1952 section 2.3.1, the size modulo 2^32 of the last member), which a Blob's last four
// bytes give without reading the file: an honest file reserves about what it needs and leaves the
// rest to the others; a file that declares more than is left is refused before inflating anything.

/** Decompressed bytes the files of one session may hold at once. */
export const INFLATE_BUDGET_BYTES = 2 ** 30;

/** Deflate's largest expansion (258-byte matches in about 2 bits): no stream inflates more. */
export const DEFLATE_MAX_RATIO = 1032;

/**
 * Headroom over a gzip file's declared size: the trailer counts only the last member of a
 * multi-member file (`cat a.gz b.gz`), so an honest file may inflate past it.
 */
const DECLARED_HEADROOM_RATIO = 8;
const MIN_DECLARED_GRANT = 32 << 20;

/** What one decode job may inflate to. Plain data: it crosses postMessage in a decode request. */
export interface InflateLimit {
  /** Bytes this file may inflate to; decompression stops past it. */
  allowanceBytes: number;
  /** The session's whole budget, for the message. */
  budgetBytes: number;
  /**
   * What the budget had left when the allowance was granted, for the message: an allowance below
   * it was sized from the file's declared size, one equal to it is all the other files left.
   */
  availableBytes: number;
}

/** The default limit where no session grants one (a caller that decodes a single file). */
export const DEFAULT_INFLATE_LIMIT: InflateLimit = {
  allowanceBytes: INFLATE_BUDGET_BYTES,
  budgetBytes: INFLATE_BUDGET_BYTES,
  availableBytes: INFLATE_BUDGET_BYTES,
};

/**
 * Jobs of unknown size (URLs not fetched yet) that may hold a guessed allowance at once. Each is
 * granted half of what is left: were they all granted at once, a link's seventh file would find
 * nothing left (512 + 256 + ... MiB reserved by files of a few KiB) and fail (issue 20: the
 * example's eight files opened by `?url=`). Taking turns, each next file is granted half of
 * what the finished ones left, as they keep only what they inflated to.
 */
export const UNKNOWN_AT_ONCE = 2;

export class InflateBudget {
  /** Bytes held per job or file: a reservation until settled, then the decompressed size. */
  private readonly held = new Map<string, number>();
  private unknownRunning = 0;
  private readonly unknownWaiting: Array<() => void> = [];

  /**
   * Waits for a turn to be granted an allowance of unknown size (`grant(key, null)`); call the
   * returned function once the job has settled or released its allowance.
   */
  async unknownTurn(): Promise<() => void> {
    if (this.unknownRunning >= UNKNOWN_AT_ONCE)
      await new Promise<void>((resolve) => this.unknownWaiting.push(resolve));
    else this.unknownRunning++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.unknownWaiting.shift();
      // The turn passes to the next waiter as it is (the running count stays).
      if (next) next();
      else this.unknownRunning--;
    };
  }

  constructor(readonly totalBytes: number = INFLATE_BUDGET_BYTES) {}

  /** Bytes reserved or held by all files. */
  get heldBytes(): number {
    let n = 0;
    for (const v of this.held.values()) n += v;
    return n;
  }

  get availableBytes(): number {
    return Math.max(0, this.totalBytes - this.heldBytes);
  }

  /**
   * Reserves an allowance for the job `key` (a file id) and returns it. `wantBytes`: what the
   * file asks for (see `gzipWant`): 0 for a file that is not gzip'd (nothing is reserved), a size
   * for a gzip'd file whose trailer was read, null when nothing is known yet (a URL not yet
   * fetched), which gets half of what is left, so that the next job still gets something.
   * A key granted again gives back what it held first.
   */
  grant(key: string, wantBytes: number | null): InflateLimit {
    this.held.delete(key);
    const available = this.availableBytes;
    const allowance =
      wantBytes === null
        ? Math.min(available, Math.max(Math.ceil(available / 2), MIN_DECLARED_GRANT))
        : Math.min(available, Math.max(0, Math.ceil(wantBytes)));
    if (allowance > 0) this.held.set(key, allowance);
    return { allowanceBytes: allowance, budgetBytes: this.totalBytes, availableBytes: available };
  }

  /** The job is done: the file keeps `usedBytes` (its decompressed size), the rest is freed. */
  settle(key: string, usedBytes: number): void {
    const held = this.held.get(key) ?? 0;
    const keep = Math.max(0, Math.min(held, usedBytes));
    if (keep > 0) this.held.set(key, keep);
    else this.held.delete(key);
  }

  /** The job failed or was cancelled, or the file left the session: all it held is freed. */
  release(key: string): void {
    this.held.delete(key);
  }
}

/**
 * The size a gzip stream declares in its trailer (ISIZE: little-endian, the last 4 bytes), or
 * null when `head` does not start with gzip's magic bytes or the stream is too short to have one.
 */
export function gzipDeclaredSize(head: Uint8Array, tail: Uint8Array, size: number): number | null {
  if (head.length < 2 || head[0] !== 0x1f || head[1] !== 0x8b) return null;
  // 10-byte header, at least 2 bytes of deflate data, 8-byte trailer.
  if (size < 20 || tail.length < 4) return null;
  const t = tail.subarray(tail.length - 4);
  return (t[0]! | (t[1]! << 8) | (t[2]! << 16)) + t[3]! * 2 ** 24;
}

/**
 * What a file should ask of the budget, from its first two and last four bytes and its size:
 * 0 when it is not gzip'd, else its declared size with headroom for multi-member files (at
 * most what deflate can physically produce from `size` bytes).
 */
export function gzipWant(head: Uint8Array, tail: Uint8Array, size: number): number {
  if (head.length < 2 || head[0] !== 0x1f || head[1] !== 0x8b) return 0;
  const declared = gzipDeclaredSize(head, tail, size) ?? 0;
  return Math.min(
    size * DEFLATE_MAX_RATIO,
    Math.max(declared, size * DECLARED_HEADROOM_RATIO, MIN_DECLARED_GRANT),
  );
}

/** `gzipWant` of a Blob (a local file or a bundle entry), reading only six bytes. */
export async function gzipWantOfBlob(blob: Blob): Promise<number> {
  if (blob.size < 2) return 0;
  const [head, tail] = await Promise.all([
    blob.slice(0, 2).arrayBuffer(),
    blob.slice(Math.max(0, blob.size - 4)).arrayBuffer(),
  ]);
  return gzipWant(new Uint8Array(head), new Uint8Array(tail), blob.size);
}
