// pprof profile decoder: the protobuf `Profile` message of github.com/google/pprof
// proto/profile.proto (v0.0.0-2025, with `doc_url`), read field by field into the columns of
// model/profile.ts. The wire-level reading is this file's own (varints into two 32-bit halves,
// int64 beyond 2^53, fixed-size skips, every length checked against the bytes left); protobufjs's
// Reader is used only as the cursor over the buffer and for field tags and length prefixes. Gzip
// has already been inflated by formats/index.ts; this sees raw protobuf.
//
//   message Profile {
//     repeated ValueType sample_type = 1;  repeated Sample sample = 2;
//     repeated Mapping mapping = 3;        repeated Location location = 4;
//     repeated Function function = 5;      repeated string string_table = 6;  // [0] must be ""
//     int64 drop_frames = 7; int64 keep_frames = 8;   // string indexes
//     int64 time_nanos = 9; int64 duration_nanos = 10;
//     ValueType period_type = 11; int64 period = 12;
//     repeated int64 comment = 13; int64 default_sample_type = 14; int64 doc_url = 15;
//   }
//   message ValueType { int64 type = 1; int64 unit = 2; }
//   message Sample { repeated uint64 location_id = 1; repeated int64 value = 2;
//                    repeated Label label = 3; }
//   message Label { int64 key = 1; int64 str = 2; int64 num = 3; int64 num_unit = 4; }
//   message Mapping { uint64 id = 1; uint64 memory_start = 2; uint64 memory_limit = 3;
//                     uint64 file_offset = 4; int64 filename = 5; int64 build_id = 6;
//                     bool has_functions = 7; bool has_filenames = 8;
//                     bool has_line_numbers = 9; bool has_inline_frames = 10; }
//   message Location { uint64 id = 1; uint64 mapping_id = 2; uint64 address = 3;
//                      repeated Line line = 4; bool is_folded = 5; }
//   message Line { uint64 function_id = 1; int64 line = 2; int64 column = 3; }
//   message Function { uint64 id = 1; int64 name = 2; int64 system_name = 3;
//                      int64 filename = 4; int64 start_line = 5; }
//
// What is accepted and rejected follows the reference reader, github.com/google/pprof/profile
// (encode.go postDecode, proto.go, profile.go CheckValid): every string index must be inside the
// string table and string_table[0] must be ""; a repeated numeric field may be packed or not; a
// sample must have one value per sample type and only locations that exist; a location's lines
// must name functions that exist; ids are non-zero and unique per table; a location may name a
// mapping that does not exist (it is then unmapped); a second non-zero time_nanos means several
// profiles were concatenated, which is an error. Unknown fields are skipped.
//
// Decoding runs in passes over one buffer, because a protobuf message may hold its fields in any
// order and Go writes the string table after the samples: (1) index the top-level fields (their
// payload ranges; scalar fields are read on the way), (2) strings, (3) sample types, mappings,
// functions, locations, (4) samples. Every allocation is bounded by the input size: table sizes
// are counts of fields actually present, and a length prefix is checked against the bytes left
// before anything is read.

// The explicit .js lets Node's ESM loader (Playwright specs) resolve it, as Vite and tsx do.
import { Reader } from 'protobufjs/minimal.js';
import { IdIndex } from '../../base/idIndex';
import {
  VARINT_EOF,
  VARINT_OVERFLOW,
  clearVarintError,
  uvarint,
  varintBig,
  varintEnd,
  varintError,
} from '../varint';
import { DecodeError } from '../../base/errors';
import { Column, StringTable } from '../../base/growable';
import {
  MAPPING_HAS_FILENAMES,
  MAPPING_HAS_FUNCTIONS,
  MAPPING_HAS_INLINE_FRAMES,
  MAPPING_HAS_LINE_NUMBERS,
  type ProfileModel,
  type ValueType,
} from '../../model/profile';
import { StackBuilder } from '../../model/stacks';

export interface PprofDecodeOptions {
  onProgress?: (stage: string, fraction: number) => void;
}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

/** 2^32, to join the two 32-bit halves of a varint. */
const TWO32 = 4294967296;
/** Varints below 2^49 come back exact from `uvarint` (formats/varint.ts); longer ones in `varintBig`. */
const TWO49 = 2 ** 49;
/** Halves whose high word is below this (2^21) make a value below 2^53: exact as a double. */
const SAFE_HI = 0x200000;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** Names of the Profile message's fields, for error messages. */
const PROFILE_FIELDS = [
  '',
  'sample_type',
  'sample',
  'mapping',
  'location',
  'function',
  'string_table',
  'drop_frames',
  'keep_frames',
  'time_nanos',
  'duration_nanos',
  'period_type',
  'period',
  'comment',
  'default_sample_type',
  'doc_url',
];
const profileField = (f: number): string => `Profile.${PROFILE_FIELDS[f] ?? ''} (${f})`;

/** Decodes raw (uncompressed) pprof bytes. Throws DecodeError saying what failed and where. */
export function decodePprof(bytes: Uint8Array, options: PprofDecodeOptions = {}): ProfileModel {
  if (bytes.length === 0) throw new DecodeError('empty', 'pprof: empty input: no profile data');
  const d = new PprofDecoder(bytes, options.onProgress);
  try {
    return d.decode();
  } catch (e) {
    if (e instanceof DecodeError) throw e;
    // protobufjs's Reader, reading a tag or a length prefix, throws RangeError("index out of
    // range") past its bounds and Error for a malformed one; neither says where that was.
    const what = e instanceof Error ? e.message : String(e);
    throw new DecodeError(
      'corrupt',
      `pprof: ${d.where}: truncated or malformed protobuf (${what})`,
      d.r.pos,
    );
  }
}

/** Ranges of the payloads of one repeated message/string field of `Profile`. */
class Spans {
  readonly start = new Column(Int32Array, 64);
  readonly end = new Column(Int32Array, 64);
  get length(): number {
    return this.start.length;
  }
  push(start: number, end: number): void {
    this.start.push(start);
    this.end.push(end);
  }
}

/** Ids of a table to row indexes (formats/idIndex.ts), keyed exactly: ids past 2^53 as decimals. */
class IdRows {
  private readonly index: IdIndex;
  constructor(count: number) {
    this.index = new IdIndex(count + 1);
  }
  /** False when the id is already present. */
  add(key: number | string, row: number): boolean {
    if (this.index.getKey(key) >= 0) return false;
    this.index.setKey(key, row);
    return true;
  }
  /** The row of an id, or -1. */
  get(key: number | string): number {
    return this.index.getKey(key);
  }
}

class PprofDecoder {
  readonly r: Reader;
  /** What is being read, for error messages. */
  where = 'Profile';
  private readonly progress: (stage: string, fraction: number) => void;

  // The last varint read by `varint()`, as unsigned 32-bit halves.
  private lo = 0;
  private hi = 0;

  // Top-level index.
  private readonly sampleTypeSpans = new Spans();
  private readonly sampleSpans = new Spans();
  private readonly mappingSpans = new Spans();
  private readonly locationSpans = new Spans();
  private readonly functionSpans = new Spans();
  private readonly stringSpans = new Spans();
  private periodTypeSpan: [number, number] | null = null;
  private dropFramesX = 0;
  private keepFramesX = 0;
  private defaultSampleTypeX = 0;
  private docUrlX = 0;
  private readonly commentX: number[] = [];
  private timeNanos = 0n;
  private durationNanos = 0n;
  private period = 0n;

  // Strings: the profile's table mapped to interned model strings.
  private readonly st = new StringTable();
  private smap = new Uint32Array(0);

  constructor(
    bytes: Uint8Array,
    onProgress: ((stage: string, fraction: number) => void) | undefined,
  ) {
    this.r = new Reader(bytes);
    this.progress = onProgress ?? (() => {});
    this.st.intern('');
  }

  decode(): ProfileModel {
    this.progress('reading profile', 0);
    this.indexProfile();
    this.readStrings();
    const sampleTypes = this.readSampleTypes();
    const periodType = this.readPeriodType();
    const mappings = this.readMappings();
    const functions = this.readFunctions();
    this.progress('reading locations', 0);
    const builder = new StackBuilder(this.st);
    const locations = this.readLocations(functions, mappings, builder);
    const samples = this.readSamples(sampleTypes.length, locations, builder);
    const { frames, stacks } = builder.finish();

    this.where = 'Profile';
    const defaultSampleType = this.str(this.defaultSampleTypeX, 'default_sample_type');
    let defaultTypeIndex = sampleTypes.length - 1;
    if (defaultSampleType !== '') {
      const i = sampleTypes.findIndex((t) => t.type === defaultSampleType);
      if (i >= 0) defaultTypeIndex = i;
    }
    const model: ProfileModel = {
      kind: 'profile',
      strings: this.st.strings,
      sampleTypes,
      defaultSampleType,
      defaultTypeIndex,
      sampleCount: samples.count,
      samples: samples.samples,
      bigValues: samples.bigValues,
      totals: samples.totals,
      labels: samples.labels,
      frames,
      stacks,
      functions: functions.table,
      locations: locations.table,
      mappings: mappings.table,
      timeNanos: this.timeNanos,
      durationNanos: this.durationNanos,
      period: this.period,
      periodType,
      dropFrames: this.str(this.dropFramesX, 'drop_frames'),
      keepFrames: this.str(this.keepFramesX, 'keep_frames'),
      comments: this.commentX.map((x) => this.str(x, 'comment')),
      docUrl: this.str(this.docUrlX, 'doc_url'),
    };
    this.progress('reading samples', 1);
    return model;
  }

  // ---- wire-level helpers -------------------------------------------------------------------

  private fail(message: string, offset: number): never {
    throw new DecodeError('corrupt', `pprof: ${this.where}: ${message}`, offset);
  }

  /** Reads a varint of up to 10 bytes into `lo`/`hi` (bits past 64 are dropped, as Go does). */
  private varint(): void {
    const r = this.r;
    const start = r.pos;
    const v = uvarint(r.buf, start, r.len);
    if (v < 0) {
      const why = varintError;
      clearVarintError();
      // protobuf keeps the low 64 bits of a 10-byte varint whose last byte is above 1.
      if (why !== VARINT_OVERFLOW) {
        this.fail(why === VARINT_EOF ? 'truncated varint' : 'varint longer than 10 bytes', start);
      }
    }
    r.pos = varintEnd;
    if (v >= 0 && v < TWO49) {
      const lo = v % TWO32;
      this.lo = lo;
      this.hi = (v - lo) / TWO32;
    } else {
      this.lo = Number(varintBig & 0xffffffffn);
      this.hi = Number(varintBig >> 32n);
    }
  }

  /** The last varint as a signed int64: exact when |v| <= 2^53, else the nearest double. */
  private int64(): number {
    const h = this.hi | 0;
    if (h >= -SAFE_HI && h < SAFE_HI) return h * TWO32 + this.lo;
    return Number(this.int64Big());
  }
  private int64Big(): bigint {
    return BigInt.asIntN(64, (BigInt(this.hi) << 32n) | BigInt(this.lo));
  }
  private uint64Big(): bigint {
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }
  /** The last varint as a uint64 id key: a number when below 2^53, else its exact decimal. */
  private idKey(): number | string {
    return this.hi < SAFE_HI ? this.hi * TWO32 + this.lo : this.uint64Big().toString();
  }
  private uint64Wide(): boolean {
    return this.hi >= SAFE_HI;
  }

  /** Reads a field tag; wire types other than 0, 1, 2 and 5 (groups, 6, 7) are refused. */
  private tag(): number {
    const at = this.r.pos;
    const tag = this.r.tag();
    const wire = tag & 7;
    if (
      wire !== WIRE_VARINT &&
      wire !== WIRE_FIXED64 &&
      wire !== WIRE_LEN &&
      wire !== WIRE_FIXED32
    ) {
      this.fail(`field ${tag >>> 3} has unknown wire type ${wire}`, at);
    }
    return tag;
  }

  /** Reads a length prefix and returns the end of the payload, checked against the bounds. */
  private payloadEnd(what: string): number {
    const r = this.r;
    const at = r.pos;
    const n = r.size();
    const end = r.pos + n;
    if (end > r.len) {
      this.fail(
        `${what}: length ${n} runs past the end of the enclosing data (${r.len - r.pos} bytes left); the profile is truncated or damaged`,
        at,
      );
    }
    return end;
  }

  private skip(wire: number, field: number, at: number): void {
    const r = this.r;
    switch (wire) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_FIXED64:
      case WIRE_FIXED32: {
        const n = wire === WIRE_FIXED64 ? 8 : 4;
        if (r.pos + n > r.len) this.fail(`field ${field}: truncated fixed-size value`, at);
        r.pos += n;
        return;
      }
      case WIRE_LEN:
        r.pos = this.payloadEnd(`field ${field}`);
        return;
      default:
        this.fail(`field ${field} has unknown wire type ${wire}`, at);
    }
  }

  private expectWire(wire: number, expected: number, field: string, at: number): void {
    if (wire !== expected) {
      this.fail(
        `field ${field} has wire type ${wire}, expected ${expected === WIRE_LEN ? 'a length-delimited message (2)' : 'a varint (0)'}`,
        at,
      );
    }
  }

  /** Reads a (possibly packed) repeated varint field, calling `each` after each value. */
  private repeatedVarints(wire: number, field: string, at: number, each: () => void): void {
    if (wire === WIRE_VARINT) {
      this.varint();
      each();
      return;
    }
    this.expectWire(wire, WIRE_LEN, field, at);
    const r = this.r;
    const end = this.payloadEnd(field);
    const outer = r.len;
    r.len = end;
    while (r.pos < end) {
      this.varint();
      each();
    }
    r.len = outer;
  }

  /** A model string index for a profile string index; `what` names the referring field. */
  private strIndex(x: number, what: string, at = this.r.pos): number {
    if (!(x >= 0 && x < this.smap.length)) {
      this.fail(
        `${what}: string index ${x} is outside the string table (${this.smap.length} strings)`,
        at,
      );
    }
    return this.smap[x] as number;
  }
  private str(x: number, what: string): string {
    return this.st.strings[this.strIndex(x, what)] as string;
  }

  // ---- pass 1: the top-level fields ---------------------------------------------------------

  private indexProfile(): void {
    const r = this.r;
    let timeSeen = false;
    while (r.pos < r.len) {
      const at = r.pos;
      const tag = this.tag();
      const field = tag >>> 3;
      const wire = tag & 7;
      let spans: Spans | null = null;
      switch (field) {
        case 1:
          spans = this.sampleTypeSpans;
          break;
        case 2:
          spans = this.sampleSpans;
          break;
        case 3:
          spans = this.mappingSpans;
          break;
        case 4:
          spans = this.locationSpans;
          break;
        case 5:
          spans = this.functionSpans;
          break;
        case 6:
          spans = this.stringSpans;
          break;
        case 11: {
          this.expectWire(wire, WIRE_LEN, profileField(11), at);
          const end = this.payloadEnd(profileField(11));
          this.periodTypeSpan = [r.pos, end];
          r.pos = end;
          continue;
        }
        case 13:
          this.repeatedVarints(wire, profileField(13), at, () => this.commentX.push(this.int64()));
          continue;
        case 7:
        case 8:
        case 9:
        case 10:
        case 12:
        case 14:
        case 15: {
          this.expectWire(wire, WIRE_VARINT, profileField(field), at);
          this.varint();
          if (field === 9) {
            // pprof reads a second non-zero time_nanos as several profiles written one after
            // another (proto.go: errConcatProfile) and refuses them.
            if (timeSeen && this.timeNanos !== 0n) {
              this.fail('concatenated profiles detected (a second time_nanos)', at);
            }
            timeSeen = true;
            this.timeNanos = this.int64Big();
          } else if (field === 10) this.durationNanos = this.int64Big();
          else if (field === 12) this.period = this.int64Big();
          else {
            const x = this.int64();
            if (field === 7) this.dropFramesX = x;
            else if (field === 8) this.keepFramesX = x;
            else if (field === 14) this.defaultSampleTypeX = x;
            else this.docUrlX = x;
          }
          continue;
        }
        default:
          this.skip(wire, field, at);
          continue;
      }
      this.expectWire(wire, WIRE_LEN, profileField(field), at);
      const end = this.payloadEnd(profileField(field));
      spans.push(r.pos, end);
      r.pos = end;
    }
    this.progress('reading profile', 0.1);
  }

  /** Positions the reader on a span's payload. */
  private enter(spans: Spans, i: number): number {
    const end = spans.end.get(i);
    this.r.pos = spans.start.get(i);
    this.r.len = end;
    return end;
  }

  // ---- pass 2: strings ----------------------------------------------------------------------

  private readStrings(): void {
    const n = this.stringSpans.length;
    this.where = 'string_table';
    // pprof (encode.go) requires string_table[0] == "" and resolves every string index, the
    // default ones (0) included, so a profile without a string table is malformed.
    if (n === 0) this.fail('the string table is missing (string_table[0] must be "")', 0);
    const decoder = new TextDecoder('utf-8', { fatal: false });
    const smap = new Uint32Array(n);
    const buf = this.r.buf;
    for (let i = 0; i < n; i++) {
      const start = this.stringSpans.start.get(i);
      const end = this.stringSpans.end.get(i);
      if (i === 0 && end !== start) {
        this.fail('string_table[0] must be the empty string', start);
      }
      smap[i] = this.st.intern(decoder.decode(buf.subarray(start, end)));
    }
    this.smap = smap;
  }

  // ---- pass 3: tables -----------------------------------------------------------------------

  private readValueType(what: string): ValueType {
    const r = this.r;
    let type = 0;
    let unit = 0;
    while (r.pos < r.len) {
      const at = r.pos;
      const tag = this.tag();
      const field = tag >>> 3;
      const wire = tag & 7;
      if (field === 1 || field === 2) {
        this.expectWire(wire, WIRE_VARINT, `${what}.${field === 1 ? 'type' : 'unit'}`, at);
        this.varint();
        const x = this.int64();
        this.strIndex(x, `${what}.${field === 1 ? 'type' : 'unit'}`, at);
        if (field === 1) type = x;
        else unit = x;
      } else this.skip(wire, field, at);
    }
    return { type: this.str(type, what), unit: this.str(unit, what) };
  }

  private readSampleTypes(): ValueType[] {
    const out: ValueType[] = [];
    for (let i = 0; i < this.sampleTypeSpans.length; i++) {
      this.where = `sample_type ${i}`;
      this.enter(this.sampleTypeSpans, i);
      out.push(this.readValueType('sample_type'));
    }
    return out;
  }

  private readPeriodType(): ValueType {
    if (this.periodTypeSpan === null) return { type: '', unit: '' };
    this.where = 'period_type';
    this.r.pos = this.periodTypeSpan[0];
    this.r.len = this.periodTypeSpan[1];
    return this.readValueType('period_type');
  }

  private readMappings(): { table: ProfileModel['mappings']; index: IdRows } {
    const r = this.r;
    const n = this.mappingSpans.length;
    const index = new IdRows(n);
    const t: ProfileModel['mappings'] = {
      length: n,
      id: new BigUint64Array(n),
      memoryStart: new BigUint64Array(n),
      memoryLimit: new BigUint64Array(n),
      fileOffset: new BigUint64Array(n),
      file: new Uint32Array(n),
      buildId: new Uint32Array(n),
      flags: new Uint8Array(n),
    };
    for (let i = 0; i < n; i++) {
      this.where = `mapping ${i}`;
      const start = this.mappingSpans.start.get(i);
      this.enter(this.mappingSpans, i);
      let key: number | string = 0;
      let flags = 0;
      while (r.pos < r.len) {
        const at = r.pos;
        const tag = this.tag();
        const field = tag >>> 3;
        const wire = tag & 7;
        if (field < 1 || field > 10) {
          this.skip(wire, field, at);
          continue;
        }
        this.expectWire(wire, WIRE_VARINT, `Mapping.${field}`, at);
        this.varint();
        switch (field) {
          case 1:
            key = this.idKey();
            t.id[i] = this.uint64Big();
            break;
          case 2:
            t.memoryStart[i] = this.uint64Big();
            break;
          case 3:
            t.memoryLimit[i] = this.uint64Big();
            break;
          case 4:
            t.fileOffset[i] = this.uint64Big();
            break;
          case 5:
            t.file[i] = this.strIndex(this.int64(), 'Mapping.filename', at);
            break;
          case 6:
            t.buildId[i] = this.strIndex(this.int64(), 'Mapping.build_id', at);
            break;
          default: {
            const bit = [
              MAPPING_HAS_FUNCTIONS,
              MAPPING_HAS_FILENAMES,
              MAPPING_HAS_LINE_NUMBERS,
              MAPPING_HAS_INLINE_FRAMES,
            ][field - 7] as number;
            if (this.lo !== 0 || this.hi !== 0) flags |= bit;
            else flags &= ~bit;
          }
        }
      }
      t.flags[i] = flags;
      this.where = `mapping ${i} (id ${key})`;
      if (key === 0) this.fail('found mapping with reserved id 0', start);
      if (!index.add(key, i)) this.fail(`multiple mappings with id ${key}`, start);
    }
    return { table: t, index };
  }

  private readFunctions(): { table: ProfileModel['functions']; index: IdRows } {
    const r = this.r;
    const n = this.functionSpans.length;
    const index = new IdRows(n);
    const t: ProfileModel['functions'] = {
      length: n,
      id: new BigUint64Array(n),
      name: new Uint32Array(n),
      systemName: new Uint32Array(n),
      file: new Uint32Array(n),
      startLine: new Float64Array(n),
    };
    for (let i = 0; i < n; i++) {
      this.where = `function ${i}`;
      const start = this.functionSpans.start.get(i);
      this.enter(this.functionSpans, i);
      let key: number | string = 0;
      while (r.pos < r.len) {
        const at = r.pos;
        const tag = this.tag();
        const field = tag >>> 3;
        const wire = tag & 7;
        if (field < 1 || field > 5) {
          this.skip(wire, field, at);
          continue;
        }
        this.expectWire(wire, WIRE_VARINT, `Function.${field}`, at);
        this.varint();
        switch (field) {
          case 1:
            key = this.idKey();
            t.id[i] = this.uint64Big();
            break;
          case 2:
            t.name[i] = this.strIndex(this.int64(), 'Function.name', at);
            break;
          case 3:
            t.systemName[i] = this.strIndex(this.int64(), 'Function.system_name', at);
            break;
          case 4:
            t.file[i] = this.strIndex(this.int64(), 'Function.filename', at);
            break;
          default:
            t.startLine[i] = this.int64();
        }
      }
      this.where = `function ${i} (id ${key})`;
      if (key === 0) this.fail('found function with reserved id 0', start);
      if (!index.add(key, i)) this.fail(`multiple functions with id ${key}`, start);
    }
    return { table: t, index };
  }

  private readLocations(
    functions: { table: ProfileModel['functions']; index: IdRows },
    mappings: { table: ProfileModel['mappings']; index: IdRows },
    builder: StackBuilder,
  ): { table: ProfileModel['locations']; index: IdRows } {
    const r = this.r;
    const n = this.locationSpans.length;
    const index = new IdRows(n);
    const t: ProfileModel['locations'] = {
      length: n,
      id: new BigUint64Array(n),
      address: new BigUint64Array(n),
      mapping: new Int32Array(n),
      folded: new Uint8Array(n),
      frameStart: new Uint32Array(n + 1),
      frameList: new Uint32Array(0),
    };
    const frameList = new Column(Uint32Array, Math.max(16, n * 2));
    // A location's lines, gathered before frames are made (the last line is the physical caller;
    // the ones before it were inlined into it).
    const lineFunc = new Column(Int32Array, 16);
    const lineNo = new Column(Float64Array, 16);
    const strings = this.st.strings;
    const fn = functions.table;
    for (let i = 0; i < n; i++) {
      this.where = `location ${i}`;
      const start = this.locationSpans.start.get(i);
      const end = this.enter(this.locationSpans, i);
      let key: number | string = 0;
      let mappingKey: number | string = 0;
      lineFunc.length = 0;
      lineNo.length = 0;
      while (r.pos < end) {
        const at = r.pos;
        const tag = this.tag();
        const field = tag >>> 3;
        const wire = tag & 7;
        if (field === 4) {
          this.expectWire(wire, WIRE_LEN, 'Location.line', at);
          const lineEnd = this.payloadEnd('Location.line');
          r.len = lineEnd;
          let funcKey: number | string = 0;
          let line = 0;
          while (r.pos < lineEnd) {
            const lat = r.pos;
            const ltag = this.tag();
            const lf = ltag >>> 3;
            const lw = ltag & 7;
            if (lf < 1 || lf > 3) {
              this.skip(lw, lf, lat);
              continue;
            }
            this.expectWire(lw, WIRE_VARINT, `Line.${lf}`, lat);
            this.varint();
            if (lf === 1) funcKey = this.idKey();
            else if (lf === 2) line = this.int64();
            // Line.column (3) is not kept: frames are function, file and line.
          }
          r.len = end;
          // pprof CheckValid: "location id: N has a line with nil function".
          const f = funcKey === 0 ? -1 : functions.index.get(funcKey);
          if (f < 0) {
            this.fail(
              funcKey === 0
                ? 'a line without a function id'
                : `a line names function id ${funcKey}, which the profile does not define`,
              at,
            );
          }
          lineFunc.push(f);
          lineNo.push(line);
          continue;
        }
        if (field < 1 || field > 5) {
          this.skip(wire, field, at);
          continue;
        }
        this.expectWire(wire, WIRE_VARINT, `Location.${field}`, at);
        this.varint();
        if (field === 1) {
          key = this.idKey();
          t.id[i] = this.uint64Big();
        } else if (field === 2) mappingKey = this.idKey();
        else if (field === 3) t.address[i] = this.uint64Big();
        else t.folded[i] = this.lo !== 0 || this.hi !== 0 ? 1 : 0;
      }
      this.where = `location ${i} (id ${key})`;
      if (key === 0) this.fail('found location with reserved id 0', start);
      if (!index.add(key, i)) this.fail(`multiple locations with id ${key}`, start);
      const m = mappingKey === 0 ? -1 : mappings.index.get(mappingKey);
      t.mapping[i] = m;
      t.frameStart[i] = frameList.length;
      const lines = lineFunc.length;
      if (lines === 0) {
        // No symbolization: pprof names such a location by its address.
        const name = `0x${(t.address[i] as bigint).toString(16)}`;
        const file = m >= 0 ? (strings[mappings.table.file[m] as number] as string) : '';
        frameList.push(builder.frame(name, file, 0, false));
      }
      for (let j = 0; j < lines; j++) {
        const f = lineFunc.get(j);
        frameList.push(
          builder.frame(
            strings[fn.name[f] as number] as string,
            strings[fn.file[f] as number] as string,
            clampLine(lineNo.get(j)),
            j < lines - 1,
          ),
        );
      }
    }
    t.frameStart[n] = frameList.length;
    t.frameList = frameList.finish();
    return { table: t, index };
  }

  // ---- pass 4: samples ----------------------------------------------------------------------

  private readSamples(
    typeCount: number,
    locations: { table: ProfileModel['locations']; index: IdRows },
    builder: StackBuilder,
  ): {
    count: number;
    samples: ProfileModel['samples'];
    bigValues: Map<number, bigint>;
    totals: bigint[];
    labels: ProfileModel['labels'];
  } {
    const r = this.r;
    const n = this.sampleSpans.length;
    this.where = 'Profile';
    if (n > 0 && typeCount === 0) this.fail('missing sample type information', 0);
    // Every value takes at least one byte: refuse before allocating what the file cannot hold.
    if (n * typeCount > r.buf.length) {
      this.fail(
        `${n} samples of ${typeCount} values cannot fit in ${r.buf.length} bytes`,
        this.sampleSpans.start.get(0),
      );
    }
    const stack = new Int32Array(n);
    const values = new Float64Array(n * typeCount);
    const labelStart = new Uint32Array(n + 1);
    const bigValues = new Map<number, bigint>();
    // Exact totals: a float accumulator per type, flushed into a bigint before it could pass 2^53.
    const acc = new Float64Array(typeCount);
    const bigAcc: bigint[] = new Array<bigint>(typeCount).fill(0n);
    const lab = {
      key: new Column(Uint32Array, 64),
      str: new Column(Int32Array, 64),
      num: new Column(Float64Array, 64),
      unit: new Column(Uint32Array, 64),
    };
    const bigNum = new Map<number, bigint>();
    let locs = new Int32Array(64);

    // Stacks by (caller stack, location): a location contributes all its lines at once.
    const locCount = locations.table.length;
    const stackCache = new Map<number | string, number>();
    // (parent + 1) * locCount + loc is exact below 2^53; past that (tens of millions of stacks
    // over tens of millions of locations) the key becomes a string.
    const exactParents = Math.floor(MAX_SAFE / Math.max(1, locCount)) - 1;
    const { frameStart, frameList } = locations.table;
    const locStack = (parent: number, loc: number): number => {
      const key = parent < exactParents ? (parent + 1) * locCount + loc : `${parent}:${loc}`;
      let s = stackCache.get(key);
      if (s === undefined) {
        s = parent;
        // Outermost (the location's last line) first: the stack grows toward the leaf.
        for (let k = (frameStart[loc + 1] as number) - 1; k >= (frameStart[loc] as number); k--) {
          s = builder.stack(s, frameList[k] as number);
        }
        stackCache.set(key, s);
      }
      return s;
    };

    const step = Math.max(1, Math.min(8192, n >> 6));
    for (let i = 0; i < n; i++) {
      if (i % step === 0) this.progress('reading samples', i / n);
      this.where = `sample ${i}`;
      const start = this.sampleSpans.start.get(i);
      const end = this.enter(this.sampleSpans, i);
      let nLocs = 0;
      let nValues = 0;
      const row = i * typeCount;
      while (r.pos < end) {
        const at = r.pos;
        const tag = this.tag();
        const field = tag >>> 3;
        const wire = tag & 7;
        if (field === 1) {
          this.repeatedVarints(wire, 'Sample.location_id', at, () => {
            const key = this.idKey();
            const loc = locations.index.get(key);
            if (loc < 0) {
              this.fail(`location id ${key} is not in the profile's locations`, at);
            }
            if (nLocs === locs.length) {
              const next = new Int32Array(locs.length * 2);
              next.set(locs);
              locs = next;
            }
            locs[nLocs++] = loc;
          });
        } else if (field === 2) {
          this.repeatedVarints(wire, 'Sample.value', at, () => {
            if (nValues < typeCount) {
              const t = nValues;
              const v = this.int64();
              values[row + t] = v;
              if (v > MAX_SAFE || v < -MAX_SAFE) {
                const big = this.int64Big();
                bigValues.set(row + t, big);
                bigAcc[t] = (bigAcc[t] as bigint) + big;
              } else {
                const a = acc[t] as number;
                if (Math.abs(a) + Math.abs(v) > MAX_SAFE) {
                  bigAcc[t] = (bigAcc[t] as bigint) + BigInt(a);
                  acc[t] = v;
                } else acc[t] = a + v;
              }
            }
            nValues++;
          });
        } else if (field === 3) {
          this.expectWire(wire, WIRE_LEN, 'Sample.label', at);
          const labelEnd = this.payloadEnd('Sample.label');
          r.len = labelEnd;
          let key = 0;
          let str = 0;
          let num = 0;
          let numBig: bigint | null = null;
          let unit = 0;
          while (r.pos < labelEnd) {
            const lat = r.pos;
            const ltag = this.tag();
            const lf = ltag >>> 3;
            const lw = ltag & 7;
            if (lf < 1 || lf > 4) {
              this.skip(lw, lf, lat);
              continue;
            }
            this.expectWire(lw, WIRE_VARINT, `Label.${lf}`, lat);
            this.varint();
            const x = this.int64();
            if (lf === 1) key = x;
            else if (lf === 2) str = x;
            else if (lf === 4) unit = x;
            else {
              num = x;
              numBig = x > MAX_SAFE || x < -MAX_SAFE ? this.int64Big() : null;
            }
          }
          r.len = end;
          const keyIndex = this.strIndex(key, 'Label.key', at);
          // As pprof reads labels (encode.go postDecode): a non-empty string index makes a string
          // label; otherwise a non-zero number or unit makes a numeric one; a label with neither
          // is dropped.
          if (str !== 0) {
            lab.key.push(keyIndex);
            lab.str.push(this.strIndex(str, 'Label.str', at));
            lab.num.push(NaN);
            lab.unit.push(0);
          } else if (num !== 0 || unit !== 0) {
            lab.key.push(keyIndex);
            lab.str.push(-1);
            const rowIndex = lab.num.push(num);
            if (numBig !== null) bigNum.set(rowIndex, numBig);
            lab.unit.push(this.strIndex(unit, 'Label.num_unit', at));
          }
        } else this.skip(wire, field, at);
      }
      if (nValues !== typeCount) {
        this.fail(
          `sample has ${nValues} values, but the profile has ${typeCount} sample types`,
          start,
        );
      }
      // location_id[0] is the leaf: intern from the root (the last location) down.
      let s = -1;
      for (let k = nLocs - 1; k >= 0; k--) s = locStack(s, locs[k] as number);
      stack[i] = s;
      labelStart[i + 1] = lab.key.length;
    }
    const totals = bigAcc.map((b, t) => b + BigInt(acc[t] as number));
    return {
      count: n,
      samples: { stack, values, labelStart },
      bigValues,
      totals,
      labels: {
        length: lab.key.length,
        key: lab.key.finish(),
        str: lab.str.finish(),
        num: lab.num.finish(),
        unit: lab.unit.finish(),
        bigNum,
      },
    };
  }
}

/** Line numbers are int64 in the proto; frames hold uint32 (0 = unknown). */
function clampLine(line: number): number {
  return line > 0 && line <= 0xffffffff ? line : 0;
}
