/**
 * Splits an update into messages that stay under the server's limit for a whole signaling message
 * (192 KiB, docs/protocol.md; a little less here): the elements are measured as the UTF-8 JSON they
 * travel as. The server accepts elements of up to 128 KiB, so any element it would keep fits.
 */
import type { BoardElement } from './boardTypes';

export const MAX_MESSAGE_BYTES = 188 * 1024;
// {"id":123456789,"method":"board.update","data":{"elements":[ ... ]}} and some slack.
const ENVELOPE_BYTES = 128;

const encoder = new TextEncoder();
export const jsonBytes = (value: unknown): number => encoder.encode(JSON.stringify(value)).length;

export interface SplitUpdate {
  batches: BoardElement[][];
  /** Elements that alone exceed the limit: they cannot be sent at all. */
  tooLarge: BoardElement[];
}

export function splitUpdate(elements: readonly BoardElement[], maxMessageBytes = MAX_MESSAGE_BYTES): SplitUpdate {
  const budget = maxMessageBytes - ENVELOPE_BYTES;
  const batches: BoardElement[][] = [];
  const tooLarge: BoardElement[] = [];
  let batch: BoardElement[] = [];
  let size = 0;
  for (const element of elements) {
    const bytes = jsonBytes(element) + 1; // the comma
    if (bytes > budget) {
      tooLarge.push(element);
      continue;
    }
    if (size + bytes > budget && batch.length > 0) {
      batches.push(batch);
      batch = [];
      size = 0;
    }
    batch.push(element);
    size += bytes;
  }
  if (batch.length > 0) batches.push(batch);
  return { batches, tooLarge };
}
