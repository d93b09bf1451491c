/// <reference types="node" />
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { imageModelMetadata, modelShape, readModelMetadata, withMetadata } from './tfliteMetadata';

const model = new Uint8Array(
  fs.readFileSync(path.resolve(__dirname, '../node_modules/@mediapipe/selfie_segmentation/selfie_segmentation_landscape.tflite')),
);

/** Reads a FlatBuffer table's fields from its vtable (enough to check what imageModelMetadata wrote). */
function fields(bytes: Uint8Array, tablePos: number): Array<number | null> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const vtable = tablePos - view.getInt32(tablePos, true);
  const count = (view.getUint16(vtable, true) - 4) / 2;
  return Array.from({ length: count }, (_, i) => {
    const offset = view.getUint16(vtable + 4 + 2 * i, true);
    return offset === 0 ? null : tablePos + offset;
  });
}
const at = (bytes: Uint8Array, pos: number) => pos + new DataView(bytes.buffer, bytes.byteOffset).getUint32(pos, true);
const vector = (bytes: Uint8Array, pos: number) => {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  return Array.from({ length: view.getUint32(pos, true) }, (_, i) => at(bytes, pos + 4 + 4 * i));
};
const floats = (bytes: Uint8Array, pos: number) => {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  return Array.from({ length: view.getUint32(pos, true) }, (_, i) => view.getFloat32(pos + 4 + 4 * i, true));
};

describe('withMetadata', () => {
  const metadata = imageModelMetadata({ name: 'm', description: 'd', mean: [0], std: [255] });
  const patched = withMetadata(model, metadata);

  it('keeps the original model byte for byte behind the new root, aligned', () => {
    const shift = patched.length - model.length;
    expect(shift % 64).toBe(0);
    expect(patched.subarray(shift)).toEqual(model);
    expect(new TextDecoder().decode(patched.subarray(4, 8))).toBe('TFL3');
  });

  it('refers to the same subgraphs and buffers, plus one buffer holding the metadata', () => {
    const before = modelShape(model);
    expect(modelShape(patched)).toEqual({ ...before, buffers: before.buffers + 1 });
    expect(readModelMetadata(patched)).toEqual(metadata);
  });

  it('refuses a model that has metadata already', () => {
    expect(() => withMetadata(patched, metadata)).toThrow(/metadata already/);
  });
});

describe('imageModelMetadata', () => {
  it('describes an RGB image input normalised by (x - mean) / std', () => {
    const bytes = imageModelMetadata({ name: 'selfie', description: 'd', mean: [0], std: [255] });
    expect(new TextDecoder().decode(bytes.subarray(4, 8))).toBe('M001');
    const root = at(bytes, 0);
    const [, , , subgraphs] = fields(bytes, root);
    const [subgraph] = vector(bytes, at(bytes, subgraphs!));
    const [input] = vector(bytes, at(bytes, fields(bytes, subgraph!)[2]!));
    const [, , , content, processUnits] = fields(bytes, input!);
    // Content { content_properties_type = ImageProperties (2), content_properties = { color_space = RGB (1) } }
    const [propertiesType, properties] = fields(bytes, at(bytes, content!));
    expect(bytes[propertiesType!]).toBe(2);
    expect(bytes[fields(bytes, at(bytes, properties!))[0]!]).toBe(1);
    // ProcessUnit { options_type = NormalizationOptions (1), options = { mean, std } }
    const [unit] = vector(bytes, at(bytes, processUnits!));
    const [optionsType, options] = fields(bytes, unit!);
    expect(bytes[optionsType!]).toBe(1);
    const [mean, std] = fields(bytes, at(bytes, options!));
    expect([floats(bytes, at(bytes, mean!)), floats(bytes, at(bytes, std!))]).toEqual([[0], [255]]);
  });
});
