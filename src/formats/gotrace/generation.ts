// Reads one generation of a v2 trace: its batches, string and stack tables, CPU samples and sync
// data (Go src/internal/trace/generation.go and batch.go, go1.26). Nothing is copied: a batch is
// a byte range of the input. Event batches are grouped by thread (M) in the order the file has
// them; the timed events inside are read later, lazily, by the ordering (order.ts).
//
// A generation is the unit of self-containment: the runtime restarts string and stack IDs, and
// re-states every goroutine's and proc's status, at each one. Before Go 1.26 a generation ends
// where a batch of the next generation number begins (that batch "spills" into the next read);
// from Go 1.26 an EvEndOfGeneration byte ends it explicitly.

import type { TraceSink } from '../../model/traceSink';
import { ByteReader, READ_OK, readErrorText } from './bytes';
import {
  EvCPUSample,
  EvCPUSamples,
  EvClockSnapshot,
  EvEndOfGeneration,
  EvEventBatch,
  EvExperimentalBatch,
  EvFrequency,
  EvStack,
  EvStacks,
  EvString,
  EvStrings,
  EvSync,
  GO125,
  GO126,
  MAX_BATCH_SIZE,
  MAX_FRAMES_PER_STACK,
  MAX_STRING_SIZE,
} from './spec';

/** A problem in the trace; `offset` is a byte offset in the input. */
export class TraceFault extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** One batch's header and data range. */
export interface RawBatch {
  gen: number;
  m: number;
  /** Base timestamp, in ticks. */
  time: number;
  /** Experiment ID, 0 for none. */
  exp: number;
  /** Offset of the batch header and of its data. */
  start: number;
  dataStart: number;
  dataEnd: number;
  endOfGeneration: boolean;
}

/**
 * Per-generation ID -> model index tables (string IDs to the model's strings, stack IDs to model
 * stacks). ID 0 always resolves: to the empty string, or to "no stack" (-1). A Map: measured
 * faster here than formats/idIndex.ts's array, on the emitter's lookup of every event's stack.
 */
export class GenerationIds {
  private readonly map = new Map<number, number>();
  constructor(private readonly zero: number) {}
  get(id: number): number | undefined {
    return id === 0 ? this.zero : this.map.get(id);
  }
  has(id: number): boolean {
    return id === 0 || this.map.has(id);
  }
  set(id: number, v: number): void {
    this.map.set(id, v);
  }
  get size(): number {
    return this.map.size;
  }
}

/** Event batches of one thread, in file order. */
export interface MBatches {
  m: number;
  dataStart: number[];
  dataEnd: number[];
  time: number[];
}

export interface Generation {
  gen: number;
  byteStart: number;
  byteEnd: number;
  /** Smallest batch base timestamp (Go's minTs; 0 while unset). */
  minTs: number;
  /** ns per tick, 0 until the frequency event is read. */
  freq: number;
  hasClockSnapshot: boolean;
  /** Clock snapshot: trace ticks, monotonic ns, wall ns since the epoch. */
  snapTicks: number;
  snapMono: bigint;
  snapWall: bigint;
  /** Strings: ID -> index into the model's strings. */
  strings: GenerationIds;
  /** Stacks: ID -> model stack index. */
  stacks: GenerationIds;
  /** Event batches by thread, threads in order of first appearance. */
  ms: MBatches[];
  /** CPU samples, sorted by time after `finishGeneration`: ns, M, P, G, stack ID. */
  cpuTime: Float64Array;
  cpuM: Float64Array;
  cpuP: Float64Array;
  cpuG: Float64Array;
  cpuStack: Float64Array;
  experimentalBatches: number;
}

/** Stacks as read, resolved into the model once all strings of the generation are known. */
interface RawStacks {
  ids: number[];
  idSet: Set<number>;
  /** Offsets into `pcs` (length ids.length + 1). */
  start: number[];
  pcs: number[];
  /** pc -> [funcID, fileID, line]; the first definition of a pc in the generation wins. */
  frames: Map<number, [number, number, number]>;
}

interface RawCpu {
  ts: number[];
  m: number[];
  p: number[];
  g: number[];
  stack: number[];
}

const textDecoder = new TextDecoder('utf-8', { fatal: false });

/**
 * Reads generations one after another. `next()` returns the next complete generation, or null at
 * the end; it throws TraceFault for damage that leaves nothing of the generation usable. A read
 * error after a pre-1.26 generation has begun is deferred (`deferred`), as Go's reader does: the
 * batches read so far are decoded first (Go's spillErr, reader.go go1.26).
 */
export class GenerationReader {
  private readonly r: ByteReader;
  private spill: RawBatch | null = null;
  /** A read error found after the returned generation's batches; reported after its events. */
  deferred: TraceFault | null = null;
  /** Offset where reading stopped for good (for "how much was lost"). */
  stoppedAt = -1;
  private prevGen: Generation | null = null;
  private done = false;

  constructor(
    buf: Uint8Array,
    start: number,
    private readonly version: number,
    private readonly builder: TraceSink,
  ) {
    this.r = new ByteReader(buf, start);
  }

  get position(): number {
    return this.r.pos;
  }

  /** Reads the next batch; null at a clean end of input (Go: io.EOF from the first byte). */
  private readBatch(): RawBatch | null {
    const r = this.r;
    const start = r.pos;
    if (r.remaining === 0) return null;
    const typ = r.readByte();
    if (typ === EvEndOfGeneration) {
      return {
        gen: 0,
        m: -1,
        time: 0,
        exp: 0,
        start,
        dataStart: r.pos,
        dataEnd: r.pos,
        endOfGeneration: true,
      };
    }
    if (typ !== EvEventBatch && typ !== EvExperimentalBatch) {
      throw new TraceFault(`expected batch event, got event ${typ}`, start);
    }
    let exp = 0;
    if (typ === EvExperimentalBatch) {
      // Go's readBatch passes io.EOF through here, which its callers take as the end of input.
      if (r.remaining === 0) return null;
      exp = r.readByte();
    }
    const gen = this.headerVarint('gen', start);
    const m = this.headerVarint('M ID', start);
    const time = this.headerVarint('timestamp', start);
    const size = this.headerVarint('size', start);
    if (size > MAX_BATCH_SIZE || size < 0) {
      throw new TraceFault(`invalid batch size ${size}, maximum is ${MAX_BATCH_SIZE}`, start);
    }
    if (r.remaining < size) {
      throw new TraceFault(
        `failed to read full batch: read ${r.remaining} but wanted ${size}`,
        start,
      );
    }
    const dataStart = r.pos;
    r.pos += size;
    return { gen, m, time, exp, start, dataStart, dataEnd: r.pos, endOfGeneration: false };
  }

  private headerVarint(what: string, start: number): number {
    const r = this.r;
    const v = r.readUvarint();
    if (r.err !== READ_OK) {
      const e = r.err;
      r.err = READ_OK;
      throw new TraceFault(`error reading batch ${what}: ${readErrorText(e)}`, start);
    }
    return v;
  }

  /** The next generation, or null when the input is exhausted. */
  next(): Generation | null {
    if (this.done) return null;
    const g = this.version >= GO126 ? this.readGeneration() : this.readGenerationWithSpill();
    if (g === null) this.done = true;
    this.prevGen = g ?? this.prevGen;
    return g;
  }

  private newGeneration(start: number): Generation {
    return {
      gen: 0,
      byteStart: start,
      byteEnd: start,
      minTs: 0,
      freq: 0,
      hasClockSnapshot: false,
      snapTicks: 0,
      snapMono: 0n,
      snapWall: 0n,
      strings: new GenerationIds(this.builder.strings.intern('')),
      stacks: new GenerationIds(-1),
      ms: [],
      cpuTime: new Float64Array(0),
      cpuM: new Float64Array(0),
      cpuP: new Float64Array(0),
      cpuG: new Float64Array(0),
      cpuStack: new Float64Array(0),
      experimentalBatches: 0,
    };
  }

  /** Go 1.26+: batches up to EvEndOfGeneration (generation.go readGeneration, go1.26). */
  private readGeneration(): Generation | null {
    const start = this.r.pos;
    const g = this.newGeneration(start);
    const raw = newRaw();
    const byM = new Map<number, MBatches>();
    for (;;) {
      let b: RawBatch | null;
      try {
        b = this.readBatch();
      } catch (e) {
        this.stoppedAt = start;
        throw e;
      }
      if (b === null) {
        if (g.ms.length !== 0) {
          this.stoppedAt = start;
          throw new TraceFault(
            'incomplete generation found; trace likely truncated (no end-of-generation marker)',
            this.r.pos,
          );
        }
        return null;
      }
      if (g.gen === 0) g.gen = b.gen;
      if (b.endOfGeneration) break;
      if (b.gen === 0) {
        this.stoppedAt = start;
        throw new TraceFault(`invalid generation number ${b.gen}`, b.start);
      }
      if (b.gen !== g.gen) {
        this.stoppedAt = start;
        throw new TraceFault(
          'broken trace: missing end-of-generation event, or generations are interleaved',
          b.start,
        );
      }
      if (g.minTs === 0 || b.time < g.minTs) g.minTs = b.time;
      this.guard(start, () => this.processBatch(g, b, raw, byM));
    }
    g.byteEnd = this.r.pos;
    this.guard(start, () => this.finishGeneration(g, raw, true));
    return g;
  }

  /** Go 1.22-1.25: batches up to the first of the next generation (readGenerationWithSpill). */
  private readGenerationWithSpill(): Generation | null {
    if (this.prevGen !== null && this.spill === null) return null;
    const start = this.spill?.start ?? this.r.pos;
    const g = this.newGeneration(start);
    const raw = newRaw();
    const byM = new Map<number, MBatches>();
    if (this.spill !== null) {
      const s = this.spill;
      this.spill = null;
      g.gen = s.gen;
      g.minTs = s.time;
      this.guard(start, () => this.processBatch(g, s, raw, byM));
    }
    for (;;) {
      const at = this.r.pos;
      let b: RawBatch | null;
      try {
        b = this.readBatch();
      } catch (e) {
        if (g.gen !== 0 && e instanceof TraceFault) {
          // Possibly the first batch of the next generation is damaged: decode what was read
          // and report the error after it.
          this.deferred = e;
          this.stoppedAt = at;
          break;
        }
        this.stoppedAt = start;
        throw e;
      }
      if (b === null) break;
      if (b.gen === 0) {
        this.stoppedAt = start;
        throw new TraceFault(`invalid generation number ${b.gen}`, b.start);
      }
      if (g.gen === 0) g.gen = b.gen;
      if (b.gen === g.gen + 1) {
        this.spill = b;
        break;
      }
      if (b.gen !== g.gen) {
        this.stoppedAt = start;
        throw new TraceFault('generations out of order', b.start);
      }
      if (g.minTs === 0 || b.time < g.minTs) g.minTs = b.time;
      this.guard(start, () => this.processBatch(g, b, raw, byM));
    }
    g.byteEnd = this.spill?.start ?? this.r.pos;
    this.guard(start, () => this.finishGeneration(g, raw, this.version >= GO125));
    return g;
  }

  private guard(start: number, f: () => void): void {
    try {
      f();
    } catch (e) {
      this.stoppedAt = start;
      throw e;
    }
  }

  private processBatch(g: Generation, b: RawBatch, raw: Raw, byM: Map<number, MBatches>): void {
    const buf = this.r.buf;
    const first = b.dataEnd > b.dataStart ? (buf[b.dataStart] as number) : -1;
    if (b.exp === 0 && first === EvStrings) {
      this.addStrings(g, b);
    } else if (b.exp === 0 && first === EvStacks) {
      this.addStacks(raw.stacks, b);
    } else if (b.exp === 0 && first === EvCPUSamples) {
      this.addCpuSamples(raw.cpu, b);
    } else if (
      b.exp === 0 &&
      ((first === EvFrequency && this.version < GO125) ||
        (first === EvSync && this.version >= GO125))
    ) {
      this.setSync(g, b);
    } else if (b.exp !== 0) {
      // Experimental data (e.g. AllocFree) has its own format: skipped, as a viewer need not read it.
      g.experimentalBatches++;
    } else {
      let mb = byM.get(b.m);
      if (!mb) {
        mb = { m: b.m, dataStart: [], dataEnd: [], time: [] };
        byM.set(b.m, mb);
        g.ms.push(mb);
      }
      mb.dataStart.push(b.dataStart);
      mb.dataEnd.push(b.dataEnd);
      mb.time.push(b.time);
    }
  }

  /** A varint inside a structural batch; `what` names it for the error. */
  private varint(r: ByteReader, what: string): number {
    const v = r.readUvarint();
    if (r.err !== READ_OK) {
      const e = r.err;
      r.err = READ_OK;
      throw new TraceFault(`${what}: ${readErrorText(e)}`, r.pos);
    }
    return v;
  }

  private addStrings(g: Generation, b: RawBatch): void {
    const r = new ByteReader(this.r.buf, b.dataStart + 1, b.dataEnd);
    const strings = this.builder.strings;
    while (r.remaining > 0) {
      const at = r.pos;
      const ev = r.readByte();
      if (ev !== EvString) throw new TraceFault(`expected string event, got ${ev}`, at);
      const id = this.varint(r, 'reading string ID');
      const len = this.varint(r, `reading length of string ${id}`);
      if (len > MAX_STRING_SIZE || len < 0) {
        throw new TraceFault(`invalid string size ${len}, maximum is ${MAX_STRING_SIZE}`, at);
      }
      if (r.remaining < len) {
        throw new TraceFault(
          `failed to read full string: read ${r.remaining} but wanted ${len}`,
          at,
        );
      }
      const s = decodeString(r.buf, r.pos, r.pos + len);
      r.pos += len;
      if (g.strings.has(id)) {
        throw new TraceFault(
          `multiple strings with the same ID: id=${id}, new=${JSON.stringify(s)}`,
          at,
        );
      }
      g.strings.set(id, strings.intern(s));
    }
  }

  private addStacks(raw: RawStacks, b: RawBatch): void {
    const r = new ByteReader(this.r.buf, b.dataStart + 1, b.dataEnd);
    while (r.remaining > 0) {
      const at = r.pos;
      const ev = r.readByte();
      if (ev !== EvStack) throw new TraceFault(`expected stack event, got ${ev}`, at);
      const id = this.varint(r, 'reading stack ID');
      const n = this.varint(r, `reading frame count of stack ${id}`);
      if (n > MAX_FRAMES_PER_STACK || n < 0) {
        throw new TraceFault(`invalid stack size ${n}, maximum is ${MAX_FRAMES_PER_STACK}`, at);
      }
      for (let i = 0; i < n; i++) {
        const pc = this.varint(r, `reading frame ${i + 1}'s PC for stack ${id}`);
        const funcID = this.varint(r, `reading frame ${i + 1}'s funcID for stack ${id}`);
        const fileID = this.varint(r, `reading frame ${i + 1}'s fileID for stack ${id}`);
        const line = this.varint(r, `reading frame ${i + 1}'s line for stack ${id}`);
        raw.pcs.push(pc);
        if (!raw.frames.has(pc)) raw.frames.set(pc, [funcID, fileID, line]);
      }
      if (id === 0 || raw.idSet.has(id)) {
        throw new TraceFault(`multiple stacks with the same ID: id=${id}`, at);
      }
      raw.idSet.add(id);
      raw.ids.push(id);
      raw.start.push(raw.pcs.length);
    }
  }

  private addCpuSamples(raw: RawCpu, b: RawBatch): void {
    const r = new ByteReader(this.r.buf, b.dataStart + 1, b.dataEnd);
    while (r.remaining > 0) {
      const at = r.pos;
      const ev = r.readByte();
      if (ev !== EvCPUSample) throw new TraceFault(`expected CPU sample event, got ${ev}`, at);
      raw.ts.push(this.varint(r, 'reading CPU sample timestamp'));
      raw.m.push(this.varint(r, 'reading CPU sample M'));
      raw.p.push(this.varint(r, 'reading CPU sample P'));
      const gid = this.varint(r, 'reading CPU sample G');
      raw.g.push(gid === 0 ? -1 : gid); // 0: no goroutine (Go's NoGoroutine)
      raw.stack.push(this.varint(r, 'reading CPU sample stack'));
    }
  }

  /** The sync batch: frequency, and from Go 1.25 a clock snapshot (generation.go setSyncBatch). */
  private setSync(g: Generation, b: RawBatch): void {
    const r = new ByteReader(this.r.buf, b.dataStart, b.dataEnd);
    if (this.version >= GO125) {
      const hdr = r.readByte();
      if (hdr !== EvSync) throw new TraceFault('missing sync batch header', b.dataStart);
    }
    let lastTs = b.time;
    while (r.remaining > 0) {
      const at = r.pos;
      const ev = r.readByte();
      if (ev === EvFrequency) {
        if (g.freq !== 0) throw new TraceFault('found multiple frequency events', at);
        const f = this.varint(r, 'reading frequency');
        // Ticks per second -> ns per tick, computed as Go does so times match to the ns.
        if (!(f > 0)) throw new TraceFault(`invalid frequency ${f} ticks per second`, at);
        g.freq = 1.0 / (f / 1e9);
      } else if (ev === EvClockSnapshot && this.version >= GO125) {
        if (g.hasClockSnapshot) throw new TraceFault('found multiple clock snapshot events', at);
        g.hasClockSnapshot = true;
        lastTs += this.varint(r, 'reading clock snapshot time');
        g.snapTicks = lastTs;
        g.snapMono = this.bigVarint(r, 'reading clock snapshot monotonic time');
        const sec = this.bigVarint(r, 'reading clock snapshot seconds');
        const nsec = this.bigVarint(r, 'reading clock snapshot nanoseconds');
        // time.Unix(int64(sec), int64(nsec)).
        g.snapWall = BigInt.asIntN(64, sec) * 1_000_000_000n + BigInt.asIntN(64, nsec);
      } else {
        throw new TraceFault(`expected frequency or clock snapshot event, got ${ev}`, at);
      }
    }
  }

  private bigVarint(r: ByteReader, what: string): bigint {
    const v = r.readBigUvarint();
    if (r.err !== READ_OK) {
      const e = r.err;
      r.err = READ_OK;
      throw new TraceFault(`${what}: ${readErrorText(e)}`, r.pos);
    }
    return v;
  }

  /** Checks the generation and resolves its stacks and CPU samples into the model. */
  private finishGeneration(g: Generation, raw: Raw, needClock: boolean): void {
    if (g.freq === 0) throw new TraceFault('no frequency event found', g.byteStart);
    if (needClock && !g.hasClockSnapshot) {
      throw new TraceFault('no clock snapshot event found', g.byteStart);
    }
    this.resolveStacks(g, raw.stacks);
    // CPU samples: ticks -> ns, sorted by time (generation.go fixUpCPUSamples).
    const c = raw.cpu;
    const n = c.ts.length;
    const order = new Uint32Array(n);
    const time = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      order[i] = i;
      time[i] = Math.trunc((c.ts[i] as number) * g.freq);
    }
    order.sort((a, b) => (time[a] as number) - (time[b] as number) || a - b);
    g.cpuTime = new Float64Array(n);
    g.cpuM = new Float64Array(n);
    g.cpuP = new Float64Array(n);
    g.cpuG = new Float64Array(n);
    g.cpuStack = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const i = order[k] as number;
      g.cpuTime[k] = time[i] as number;
      g.cpuM[k] = c.m[i] as number;
      g.cpuP[k] = c.p[i] as number;
      g.cpuG[k] = c.g[i] as number;
      g.cpuStack[k] = c.stack[i] as number;
    }
  }

  private resolveStacks(g: Generation, raw: RawStacks): void {
    const builder = this.builder;
    const sb = builder.stackBuilder;
    const strings = builder.strings.strings;
    const frameOfPc = new Map<number, number>();
    const funcOfPc = new Map<number, number>();
    const rootFirst: number[] = [];
    let begin = 0;
    for (let s = 0; s < raw.ids.length; s++) {
      const id = raw.ids[s] as number;
      const end = raw.start[s] as number;
      rootFirst.length = 0;
      let rootFunc = -1;
      // Go lists frames leaf first; the prefix tree wants them root first.
      for (let k = end - 1; k >= begin; k--) {
        const pc = raw.pcs[k] as number;
        let f = frameOfPc.get(pc);
        if (f === undefined) {
          const fr = raw.frames.get(pc) as [number, number, number];
          const fn = g.strings.get(fr[0]);
          if (fn === undefined) {
            throw new TraceFault(
              `found invalid func string ID ${fr[0]} for stack ${id}`,
              g.byteStart,
            );
          }
          const file = g.strings.get(fr[1]);
          if (file === undefined) {
            throw new TraceFault(
              `found invalid file string ID ${fr[1]} for stack ${id}`,
              g.byteStart,
            );
          }
          f = sb.frame(strings[fn] as string, strings[file] as string, fr[2]);
          frameOfPc.set(pc, f);
          funcOfPc.set(pc, fn);
        }
        if (rootFirst.length === 0) rootFunc = funcOfPc.get(pc) as number;
        rootFirst.push(f);
      }
      g.stacks.set(id, builder.internStack(rootFirst, rootFirst.length, rootFunc));
      begin = end;
    }
  }
}

interface Raw {
  stacks: RawStacks;
  cpu: RawCpu;
}

function newRaw(): Raw {
  return {
    stacks: { ids: [], start: [], pcs: [], frames: new Map(), idSet: new Set() },
    cpu: { ts: [], m: [], p: [], g: [], stack: [] },
  };
}

/** Bytes as a string: ASCII directly, anything else as UTF-8 (invalid bytes become U+FFFD). */
export function decodeString(buf: Uint8Array, start: number, end: number): string {
  let ascii = true;
  for (let i = start; i < end; i++) {
    if ((buf[i] as number) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (!ascii) return textDecoder.decode(buf.subarray(start, end));
  return String.fromCharCode.apply(null, buf.subarray(start, end) as unknown as number[]);
}
