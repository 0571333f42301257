// google.protobuf.Struct on the wire, without google-protobuf's message objects. A resource's
// inputs travel as a Struct in every Analyze and AnalyzeStack request; google-protobuf builds
// (and on the other end rebuilds) one Value object per field and list item, and on a prod plan
// (Kueue's CRDs are about 150 KB of schema each) that was most of the pack's time on both ends.
// These read and write the same bytes directly. They follow google-protobuf 3.21 exactly:
// map entries written in sorted key order, key and value always written, and a decoded object's
// keys inserted in sorted order (as `Struct.toJavaScript` does through jspb.Map), so what a rule
// sees is identical (test/policies/wire.test.ts compares both byte for byte).
//
// Struct { map<string, Value> fields = 1 }, Value { oneof kind { NullValue null_value = 1;
// double number_value = 2; string string_value = 3; bool bool_value = 4; Struct struct_value = 5;
// ListValue list_value = 6 } }, ListValue { repeated Value values = 1 }.

/** A value a Struct can hold (what `JSON.parse` returns). */
export type WireValue = null | number | string | boolean | WireValue[] | { [key: string]: WireValue };

const NULL_VALUE = (1 << 3) | 0;
const NUMBER_VALUE = (2 << 3) | 1;
const STRING_VALUE = (3 << 3) | 2;
const BOOL_VALUE = (4 << 3) | 0;
const STRUCT_VALUE = (5 << 3) | 2;
const LIST_VALUE = (6 << 3) | 2;
/** Field 1, length-delimited: a Struct's entry, a ListValue's item, an entry's key. */
const FIELD1_LEN = (1 << 3) | 2;
/** Field 2, length-delimited: an entry's value. */
const FIELD2_LEN = (2 << 3) | 2;

function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/** `n` bytes of a length-delimited field: tag, length, body. */
const delimited = (n: number) => 1 + varintSize(n) + n;

/** google-protobuf's `goog.typeOf` kinds a Struct accepts; anything else it refuses. */
function kindOf(value: unknown): "null" | "number" | "string" | "boolean" | "array" | "object" {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  const t = typeof value;
  if (t === "number" || t === "string" || t === "boolean") return t;
  if (t === "object") return "object";
  throw new Error(`Unexpected struct type: ${t}`);
}

/** Encodes in two passes: sizes first (pre-order), then bytes, so nothing is copied twice. */
class Encoder {
  private readonly sizes: number[] = [];
  private readonly strings: number[] = [];
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private sizeAt = 0;
  private stringAt = 0;

  encodeStruct(obj: object): Buffer {
    const size = this.structSize(obj);
    this.buf = Buffer.allocUnsafe(size);
    this.writeStruct(obj);
    return this.buf;
  }

  private stringSize(s: string): number {
    const n = Buffer.byteLength(s, "utf8");
    this.strings.push(n);
    return n;
  }

  private structSize(obj: object): number {
    const slot = this.sizes.push(0) - 1;
    let size = 0;
    const record = obj as Record<string, unknown>;
    for (const key of sortedKeys(record)) {
      // The entry's size is written before its key and value: its slot comes first.
      const entrySlot = this.sizes.push(0) - 1;
      const entry = delimited(this.stringSize(key)) + delimited(this.valueSize(record[key]));
      this.sizes[entrySlot] = entry;
      size += delimited(entry);
    }
    this.sizes[slot] = size;
    return size;
  }

  private listSize(items: readonly unknown[]): number {
    const slot = this.sizes.push(0) - 1;
    let size = 0;
    for (const item of items) size += delimited(this.valueSize(item));
    this.sizes[slot] = size;
    return size;
  }

  /** The Value message's size (its body, without its own tag and length). */
  private valueSize(value: unknown): number {
    let size: number;
    switch (kindOf(value)) {
      case "null":
      case "boolean":
        size = 2;
        break;
      case "number":
        size = 9;
        break;
      case "string":
        size = delimited(this.stringSize(value as string));
        break;
      case "array": {
        const slot = this.sizes.push(0) - 1;
        size = delimited(this.listSize(value as unknown[]));
        this.sizes[slot] = size;
        return size;
      }
      default: {
        const slot = this.sizes.push(0) - 1;
        size = delimited(this.structSize(value as object));
        this.sizes[slot] = size;
        return size;
      }
    }
    this.sizes.push(size);
    return size;
  }

  private varint(n: number): void {
    while (n >= 0x80) {
      this.buf[this.pos++] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 128);
    }
    this.buf[this.pos++] = n;
  }

  private string(s: string): void {
    const n = this.strings[this.stringAt++] as number;
    this.varint(n);
    this.pos += this.buf.write(s, this.pos, n, "utf8");
  }

  private writeStruct(obj: object): void {
    this.sizeAt++;
    const record = obj as Record<string, unknown>;
    for (const key of sortedKeys(record)) {
      this.buf[this.pos++] = FIELD1_LEN;
      this.varint(this.sizes[this.sizeAt++] as number);
      this.buf[this.pos++] = FIELD1_LEN;
      this.string(key);
      this.buf[this.pos++] = FIELD2_LEN;
      this.writeValue(record[key]);
    }
  }

  /** A Value, with its length prefix. */
  private writeValue(value: unknown): void {
    this.varint(this.sizes[this.sizeAt++] as number);
    switch (kindOf(value)) {
      case "null":
        this.buf[this.pos++] = NULL_VALUE;
        this.buf[this.pos++] = 0;
        return;
      case "boolean":
        this.buf[this.pos++] = BOOL_VALUE;
        this.buf[this.pos++] = value ? 1 : 0;
        return;
      case "number":
        this.buf[this.pos++] = NUMBER_VALUE;
        this.buf.writeDoubleLE(value as number, this.pos);
        this.pos += 8;
        return;
      case "string":
        this.buf[this.pos++] = STRING_VALUE;
        this.string(value as string);
        return;
      case "array":
        this.buf[this.pos++] = LIST_VALUE;
        this.varint(this.sizes[this.sizeAt++] as number);
        for (const item of value as unknown[]) {
          this.buf[this.pos++] = FIELD1_LEN;
          this.writeValue(item);
        }
        return;
      default:
        this.buf[this.pos++] = STRUCT_VALUE;
        this.varint(this.sizes[this.sizeAt] as number);
        this.writeStruct(value as object);
    }
  }
}

/** google-protobuf's order: `for...in` keys, sorted as jspb.Map sorts them. */
function sortedKeys(record: Record<string, unknown>): string[] {
  const keys: string[] = [];
  for (const key in record) keys.push(key);
  return keys.sort();
}

/**
 * The bytes of `Struct.fromJavaScript(obj).serializeBinary()`, byte for byte. Throws, as
 * google-protobuf does, on a value a Struct cannot hold (undefined, a function, a bigint).
 */
export function encodeStruct(obj: object): Buffer {
  return new Encoder().encodeStruct(obj);
}

/** Reads protobuf fields from a byte range. */
class Reader {
  pos: number;
  constructor(
    private readonly buf: Buffer,
    start: number,
  ) {
    this.pos = start;
  }

  varint(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const byte = this.buf[this.pos++];
      if (byte === undefined) throw new Error("Struct: truncated varint");
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
  }

  /** The end of a length-delimited field whose tag was just read. */
  lengthEnd(end: number): number {
    const len = this.varint();
    const to = this.pos + len;
    if (to > end) throw new Error("Struct: a field runs past its message");
    return to;
  }

  skip(wireType: number, end: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 2) this.pos = this.lengthEnd(end);
    else if (wireType === 5) this.pos += 4;
    else throw new Error(`Struct: unsupported wire type ${wireType}`);
  }

  string(end: number): string {
    const to = this.lengthEnd(end);
    const s = this.buf.toString("utf8", this.pos, to);
    this.pos = to;
    return s;
  }

  struct(end: number): Record<string, WireValue> {
    // jspb.Map: the last entry of a key wins; `toJavaScript` inserts keys in sorted order.
    const entries = new Map<string, WireValue>();
    let sorted = true;
    let last: string | undefined;
    while (this.pos < end) {
      const tag = this.varint();
      if (tag !== FIELD1_LEN) {
        this.skip(tag & 7, end);
        continue;
      }
      const entryEnd = this.lengthEnd(end);
      let key = "";
      let value: WireValue | undefined;
      while (this.pos < entryEnd) {
        const t = this.varint();
        if (t === FIELD1_LEN) key = this.string(entryEnd);
        else if (t === FIELD2_LEN) value = this.value(this.lengthEnd(entryEnd));
        else this.skip(t & 7, entryEnd);
      }
      // An entry without a value holds an empty Value, which google-protobuf refuses to convert.
      if (value === undefined) throw new Error("Unexpected struct type");
      if (last !== undefined && !(last < key)) sorted = false;
      last = key;
      entries.set(key, value);
    }
    const keys = sorted ? entries.keys() : [...entries.keys()].sort();
    const out: Record<string, WireValue> = {};
    for (const key of keys) {
      const value = entries.get(key) as WireValue;
      // Assigning "__proto__" would set the object's prototype (what google-protobuf's reader does,
      // losing the key): a resource could then hide a field from Object.keys yet show it to a rule
      // reading it by name. Keep it an own key, as JSON.parse does.
      if (key === "__proto__")
        Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      else out[key] = value;
    }
    return out;
  }

  list(end: number): WireValue[] {
    const out: WireValue[] = [];
    while (this.pos < end) {
      const tag = this.varint();
      if (tag === FIELD1_LEN) out.push(this.value(this.lengthEnd(end)));
      else this.skip(tag & 7, end);
    }
    return out;
  }

  /** A Value message's body; the last kind set wins, as in a oneof. */
  value(end: number): WireValue {
    let out: WireValue | undefined;
    while (this.pos < end) {
      const tag = this.varint();
      switch (tag) {
        case NULL_VALUE:
          this.varint();
          out = null;
          break;
        case NUMBER_VALUE:
          out = this.buf.readDoubleLE(this.pos);
          this.pos += 8;
          break;
        case STRING_VALUE:
          out = this.string(end);
          break;
        case BOOL_VALUE:
          out = this.varint() !== 0;
          break;
        case STRUCT_VALUE:
          out = this.struct(this.lengthEnd(end));
          break;
        case LIST_VALUE:
          out = this.list(this.lengthEnd(end));
          break;
        default:
          this.skip(tag & 7, end);
      }
    }
    this.pos = end;
    if (out === undefined) throw new Error("Unexpected struct type");
    return out;
  }
}

/**
 * `Struct.deserializeBinary(bytes).toJavaScript()` for the Struct in `bytes[start, end)`, without
 * the message objects: the same values, with keys in the same order.
 */
export function decodeStruct(bytes: Uint8Array, start = 0, end = bytes.length): Record<string, WireValue> {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return new Reader(buf, start).struct(end);
}

/** One length-delimited field, found by `fields`: its number and where its body lies. */
export interface WireField {
  field: number;
  /** 0 varint, 1 fixed 64-bit, 2 length-delimited, 5 fixed 32-bit. */
  wireType: number;
  /** Where the field starts (its tag). */
  from: number;
  /** Where its body starts and ends. */
  start: number;
  end: number;
}

/**
 * The top-level fields of the message in `bytes[start, end)`, in order, with where each lies (for
 * length-delimited ones, where the body lies; others have start === end).
 */
export function fields(bytes: Uint8Array, start = 0, end = bytes.length): WireField[] {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const reader = new Reader(buf, start);
  const out: WireField[] = [];
  while (reader.pos < end) {
    const from = reader.pos;
    const tag = reader.varint();
    if ((tag & 7) === 2) {
      const to = reader.lengthEnd(end);
      out.push({ field: tag >>> 3, wireType: 2, from, start: reader.pos, end: to });
      reader.pos = to;
    } else {
      reader.skip(tag & 7, end);
      out.push({ field: tag >>> 3, wireType: tag & 7, from, start: reader.pos, end: reader.pos });
    }
  }
  return out;
}

/** A length-delimited field's tag and length, to put before its body. */
export function fieldHeader(field: number, length: number): Buffer {
  const out = Buffer.allocUnsafe(varintSize((field << 3) | 2) + varintSize(length));
  let pos = 0;
  for (let n of [(field << 3) | 2, length]) {
    while (n >= 0x80) {
      out[pos++] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 128);
    }
    out[pos++] = n;
  }
  return out;
}
