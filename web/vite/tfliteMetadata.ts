/// <reference types="node" />
/**
 * Gives a TensorFlow Lite model the metadata MediaPipe Tasks needs to feed it images, at build
 * time. The selfie segmentation model of `@mediapipe/selfie_segmentation` was made for the legacy
 * MediaPipe graph, which normalised the input itself; MediaPipe Tasks reads the normalisation of a
 * float input from the model's metadata (TFLite metadata schema, file identifier "M001") and
 * refuses a model without it. This adds that metadata (RGB image in, pixels scaled to [0, 1]) and
 * changes nothing else in the model.
 *
 * How: a .tflite file is a FlatBuffer (schema: tensorflow/lite/schema/schema.fbs). Offsets in a
 * FlatBuffer point forwards, so the new root table, its new `buffers` and `metadata` vectors and
 * the metadata buffer are written in front of the original bytes, which follow unchanged (shifted
 * by a multiple of 64 bytes, which keeps every alignment inside them); the new root refers to the
 * original operator codes, subgraphs and buffers where they now are. No FlatBuffers library is
 * needed for the few tables involved.
 */

/** A value in a table or vector being written. */
type Value =
  | { kind: 'u8'; value: number }
  | { kind: 'u32'; value: number }
  | { kind: 'ref'; node: Node }
  /** An object already in the output, at this absolute position. */
  | { kind: 'at'; position: number };

type Node =
  | { kind: 'table'; fields: Array<Value | null> }
  | { kind: 'string'; text: string }
  | { kind: 'refs'; items: Value[] }
  | { kind: 'floats'; values: number[] }
  | { kind: 'bytes'; data: Uint8Array };

const u8 = (value: number): Value => ({ kind: 'u8', value });
const u32 = (value: number): Value => ({ kind: 'u32', value });
const ref = (node: Node): Value => ({ kind: 'ref', node });
const table = (...fields: Array<Value | null>): Node => ({ kind: 'table', fields });
const str = (text: string): Value => ref({ kind: 'string', text });
const refs = (...items: Value[]): Value => ref({ kind: 'refs', items });
const floats = (...values: number[]): Value => ref({ kind: 'floats', values });

/** Writes nodes front to back, children after their parent, so that every offset points forward. */
class ForwardWriter {
  private bytes = new Uint8Array(1024);
  private view = new DataView(this.bytes.buffer);
  length = 0;

  result(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }

  reserve(count: number): number {
    while (this.length + count > this.bytes.length) {
      const bigger = new Uint8Array(this.bytes.length * 2);
      bigger.set(this.bytes);
      this.bytes = bigger;
      this.view = new DataView(this.bytes.buffer);
    }
    const at = this.length;
    this.length += count;
    return at;
  }

  align(to: number): void {
    this.reserve((to - (this.length % to)) % to);
  }

  u8(value: number): number {
    const at = this.reserve(1);
    this.view.setUint8(at, value);
    return at;
  }

  u16(value: number): number {
    this.align(2);
    const at = this.reserve(2);
    this.view.setUint16(at, value, true);
    return at;
  }

  u32(value: number, at?: number): number {
    if (at === undefined) {
      this.align(4);
      at = this.reserve(4);
    }
    this.view.setUint32(at, value >>> 0, true);
    return at;
  }

  i32(value: number, at: number): void {
    this.view.setInt32(at, value, true);
  }

  f32(value: number): void {
    this.align(4);
    const at = this.reserve(4);
    this.view.setFloat32(at, value, true);
  }

  raw(data: Uint8Array): void {
    const at = this.reserve(data.length); // first: it may replace this.bytes
    this.bytes.set(data, at);
  }

  /** Writes `node` and its children; returns where the node starts. */
  write(node: Node): number {
    switch (node.kind) {
      case 'string': {
        const text = new TextEncoder().encode(node.text);
        const at = this.u32(text.length);
        this.raw(text);
        this.u8(0);
        return at;
      }
      case 'floats': {
        const at = this.u32(node.values.length);
        for (const value of node.values) this.f32(value);
        return at;
      }
      case 'bytes': {
        // The data 16-byte aligned: a nested FlatBuffer is verified against its own start.
        while ((this.length + 4) % 16 !== 0) this.u8(0);
        const at = this.u32(node.data.length);
        this.raw(node.data);
        return at;
      }
      case 'refs': {
        const at = this.u32(node.items.length);
        const slots = node.items.map(() => this.u32(0));
        node.items.forEach((item, i) => this.patch(slots[i]!, item));
        return at;
      }
      case 'table':
        return this.writeTable(node.fields);
    }
  }

  private writeTable(fields: Array<Value | null>): number {
    // Table layout first (to know the vtable's entries), then the vtable, then the table.
    const sizes = fields.map((f) => (f === null ? 0 : f.kind === 'u8' ? 1 : 4));
    const offsets: number[] = [];
    let size = 4; // the soffset to the vtable
    for (const s of sizes) {
      if (s === 0) {
        offsets.push(0);
        continue;
      }
      size += (s - (size % s)) % s;
      offsets.push(size);
      size += s;
    }
    size += (4 - (size % 4)) % 4;
    this.align(2);
    const vtable = this.u16(4 + 2 * fields.length);
    this.u16(size);
    for (const offset of offsets) this.u16(offset);
    this.align(4);
    const start = this.reserve(size);
    this.i32(start - vtable, start);
    const later: Array<[number, Value]> = [];
    fields.forEach((field, i) => {
      if (field === null) return;
      const at = start + offsets[i]!;
      if (field.kind === 'u8') this.view.setUint8(at, field.value);
      else if (field.kind === 'u32') this.u32(field.value, at);
      else later.push([at, field]);
    });
    for (const [at, field] of later) this.patch(at, field);
    return start;
  }

  /** Fills the offset slot at `at` with a reference to `value` (written now if it is new). */
  private patch(at: number, value: Value): void {
    if (value.kind === 'u8' || value.kind === 'u32') throw new Error('a vector of references holds references');
    const target = value.kind === 'at' ? value.position : this.write(value.node);
    if (target <= at) throw new Error('FlatBuffer offsets must point forward');
    this.u32(target - at, at);
  }
}

// --- reading the original model -----------------------------------------------------------------

/** Absolute positions of a table's fields (null when absent). */
function tableFields(data: DataView, tablePos: number): Array<number | null> {
  const vtable = tablePos - data.getInt32(tablePos, true);
  const count = (data.getUint16(vtable, true) - 4) / 2;
  const fields: Array<number | null> = [];
  for (let i = 0; i < count; i++) {
    const offset = data.getUint16(vtable + 4 + 2 * i, true);
    fields.push(offset === 0 ? null : tablePos + offset);
  }
  return fields;
}

const deref = (data: DataView, fieldPos: number) => fieldPos + data.getUint32(fieldPos, true);

/** The absolute positions of the tables a vector of references points to. */
function vectorTargets(data: DataView, vectorPos: number): number[] {
  const length = data.getUint32(vectorPos, true);
  return Array.from({ length }, (_, i) => deref(data, vectorPos + 4 + 4 * i));
}

// Fields of tflite.Model (schema.fbs).
const MODEL = { version: 0, operatorCodes: 1, subgraphs: 2, description: 3, buffers: 4, metadataBuffer: 5, metadata: 6, signatureDefs: 7 };
export const METADATA_NAME = 'TFLITE_METADATA';
const MODEL_IDENTIFIER = 'TFL3';
export const METADATA_IDENTIFIER = 'M001';
const SHIFT_ALIGNMENT = 64;

export interface ImageInputMetadata {
  name: string;
  description: string;
  /** (pixel - mean) / std gives the model's input (per channel, or one value for all). */
  mean: number[];
  std: number[];
}

/** The metadata FlatBuffer (root ModelMetadata): RGB image in with its normalisation, one mask out. */
export function imageModelMetadata(info: ImageInputMetadata): Uint8Array {
  const RGB = 1;
  const IMAGE_PROPERTIES = 2; // ContentProperties union: FeatureProperties = 1, ImageProperties = 2
  const NORMALIZATION_OPTIONS = 1; // ProcessUnitOptions union
  const input = table(
    str('image'),
    null,
    null,
    ref(table(u8(IMAGE_PROPERTIES), ref(table(u8(RGB))))), // Content { ImageProperties { RGB } }
    refs(ref(table(u8(NORMALIZATION_OPTIONS), ref(table(floats(...info.mean), floats(...info.std)))))),
  );
  const output = table(str('segmentation'));
  const subgraph = table(null, null, refs(ref(input)), refs(ref(output)));
  const root = table(str(info.name), str(info.description), null, refs(ref(subgraph)), null, null, null, str('1.0.0'));
  const writer = new ForwardWriter();
  const rootSlot = writer.u32(0);
  writer.raw(new TextEncoder().encode(METADATA_IDENTIFIER));
  const rootPos = writer.write(root);
  writer.u32(rootPos - rootSlot, rootSlot);
  return writer.result();
}

/** `model` with `metadata` attached as its TFLITE_METADATA buffer (see the file comment). */
export function withMetadata(model: Uint8Array, metadata: Uint8Array): Uint8Array {
  const data = new DataView(model.buffer, model.byteOffset, model.byteLength);
  const fields = tableFields(data, data.getUint32(0, true));
  const field = (i: number) => fields[i] ?? null;
  if (field(MODEL.buffers) === null) throw new Error('the model has no buffers');
  const oldMetadata = field(MODEL.metadata);
  if (oldMetadata !== null) {
    for (const entry of vectorTargets(data, deref(data, oldMetadata))) {
      const name = tableFields(data, entry)[0];
      if (name != null && readString(data, deref(data, name)) === METADATA_NAME) throw new Error('the model has metadata already');
    }
  }
  // Where the front part ends is only known once written: write it with the original at a guessed
  // shift, and again with the shift it needed (the second pass has the same size).
  let shift = 0;
  for (;;) {
    const at = (position: number): Value => ({ kind: 'at', position: position + shift });
    const existing = (i: number) => {
      const pos = field(i);
      return pos === null ? null : at(deref(data, pos));
    };
    const buffers = vectorTargets(data, deref(data, field(MODEL.buffers)!));
    const newBuffer = table(ref({ kind: 'bytes', data: metadata }));
    const metadataEntries = oldMetadata === null ? [] : vectorTargets(data, deref(data, oldMetadata)).map(at);
    const root = table(
      field(MODEL.version) === null ? null : u32(data.getUint32(field(MODEL.version)!, true)),
      existing(MODEL.operatorCodes),
      existing(MODEL.subgraphs),
      existing(MODEL.description),
      refs(...buffers.map(at), ref(newBuffer)),
      existing(MODEL.metadataBuffer),
      refs(...metadataEntries, ref(table(str(METADATA_NAME), u32(buffers.length)))),
      existing(MODEL.signatureDefs),
    );
    const writer = new ForwardWriter();
    const rootSlot = writer.u32(0);
    writer.raw(new TextEncoder().encode(MODEL_IDENTIFIER));
    const rootPos = writer.write(root);
    writer.u32(rootPos - rootSlot, rootSlot);
    writer.align(SHIFT_ALIGNMENT);
    if (writer.length !== shift) {
      shift = writer.length;
      continue;
    }
    const out = new Uint8Array(shift + model.length);
    out.set(writer.result());
    out.set(model, shift);
    return out;
  }
}

function readString(data: DataView, pos: number): string {
  const length = data.getUint32(pos, true);
  return new TextDecoder().decode(new Uint8Array(data.buffer, data.byteOffset + pos + 4, length));
}

/** The TFLITE_METADATA buffer of `model`, or null (for tests and the build check). */
export function readModelMetadata(model: Uint8Array): Uint8Array | null {
  const data = new DataView(model.buffer, model.byteOffset, model.byteLength);
  const fields = tableFields(data, data.getUint32(0, true));
  const metadata = fields[MODEL.metadata];
  const buffersField = fields[MODEL.buffers];
  if (metadata == null || buffersField == null) return null;
  const buffers = vectorTargets(data, deref(data, buffersField));
  for (const entry of vectorTargets(data, deref(data, metadata))) {
    const [name, buffer] = tableFields(data, entry);
    if (name == null || buffer == null || readString(data, deref(data, name)) !== METADATA_NAME) continue;
    const bufferTable = buffers[data.getUint32(buffer, true)];
    if (bufferTable === undefined) return null;
    const dataField = tableFields(data, bufferTable)[0];
    if (dataField == null) return null;
    const vector = deref(data, dataField);
    return model.slice(vector + 4, vector + 4 + data.getUint32(vector, true));
  }
  return null;
}

/** The number of subgraphs and buffers of `model` (for tests: the original ones must survive). */
export function modelShape(model: Uint8Array): { subgraphs: number; buffers: number; version: number } {
  const data = new DataView(model.buffer, model.byteOffset, model.byteLength);
  const fields = tableFields(data, data.getUint32(0, true));
  const count = (i: number) => (fields[i] == null ? 0 : data.getUint32(deref(data, fields[i]!), true));
  return { subgraphs: count(MODEL.subgraphs), buffers: count(MODEL.buffers), version: data.getUint32(fields[MODEL.version]!, true) };
}
