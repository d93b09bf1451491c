import { describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../../api/client';
import { ApiError } from '../../api/errors';
import { json } from '../../test/fakeFetch';
import {
  blobToDataUrl,
  dataUrlToBlob,
  downloadBoardFile,
  getSavedBoard,
  imageProblem,
  MAX_IMAGE_BYTES,
  uploadBoardFile,
} from './boardFiles';

const png = () => new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], { type: 'image/png' });

function recordingFetch(answers: Response[]) {
  const calls: { url: string; method: string; auth: string | null; type: string | null; body: unknown }[] = [];
  const fetchImpl = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    calls.push({
      url: String(input),
      method: init?.method ?? 'GET',
      auth: headers.get('Authorization'),
      type: headers.get('Content-Type'),
      body: init?.body,
    });
    return answers.shift() ?? new Response(null, { status: 500 });
  });
  return { calls, fetchImpl: fetchImpl as unknown as typeof fetch };
}

describe('imageProblem', () => {
  it('accepts the four image types up to 2 MiB and says why otherwise', () => {
    expect(imageProblem('image/png', 10)).toBeNull();
    expect(imageProblem('image/gif', MAX_IMAGE_BYTES)).toBeNull();
    expect(imageProblem('image/svg+xml', 10)).toMatch(/PNG, JPEG, WebP and GIF/);
    expect(imageProblem('image/jpeg', MAX_IMAGE_BYTES + 1)).toBe('That image is 2.0 MB; the whiteboard takes images up to 2 MB.');
    expect(imageProblem('image/webp', 5 * 1024 * 1024)).toMatch(/5\.0 MB/);
  });
});

describe('board files over REST', () => {
  it('PUTs the raw image with its type and the signaling token, renewing it once on 401', async () => {
    const { calls, fetchImpl } = recordingFetch([new Response(null, { status: 401 }), new Response(null, { status: 201 })]);
    const token = vi.fn(async (renew: boolean) => (renew ? 'fresh' : 'stale'));
    const blob = png();
    await uploadBoardFile({ code: 'abc-defg-hij', fileId: 'f1', blob, token, fetchImpl });
    expect(calls.map((c) => [c.method, c.url, c.auth, c.type])).toEqual([
      ['PUT', '/api/v1/meetings/abc-defg-hij/board/files/f1', 'Bearer stale', 'image/png'],
      ['PUT', '/api/v1/meetings/abc-defg-hij/board/files/f1', 'Bearer fresh', 'image/png'],
    ]);
    expect(calls[1].body).toBe(blob);
  });

  it('refuses an oversized image before sending anything', async () => {
    const { calls, fetchImpl } = recordingFetch([]);
    const big = new Blob([new Uint8Array(MAX_IMAGE_BYTES + 1)], { type: 'image/png' });
    await expect(uploadBoardFile({ code: 'c', fileId: 'f', blob: big, token: async () => 't', fetchImpl })).rejects.toThrow(/2 MB/);
    expect(calls).toEqual([]);
  });

  it('turns a refusal into an ApiError with the server message', async () => {
    const { fetchImpl } = recordingFetch([json(413, { error: { code: 'payload_too_large', message: 'too big' } })]);
    const failure = await uploadBoardFile({ code: 'c', fileId: 'f', blob: png(), token: async () => 't', fetchImpl }).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).code).toBe('payload_too_large');
  });

  it('GETs an image with the token', async () => {
    const { calls, fetchImpl } = recordingFetch([
      new Response(new Uint8Array([0x89, 0x50, 0x4e, 0x47]), { status: 200, headers: { 'Content-Type': 'image/png' } }),
    ]);
    const blob = await downloadBoardFile({ code: 'c', fileId: 'f 1', token: async () => 'guest', fetchImpl });
    expect(blob.size).toBe(4);
    expect(calls[0]).toMatchObject({ method: 'GET', url: '/api/v1/meetings/c/board/files/f%201', auth: 'Bearer guest' });
  });

  it('reads a saved board, and null when the meeting kept none', async () => {
    const saved = { elements: [], files: [], updatedAt: '2026-11-25T10:00:00Z' };
    const answers = [json(200, saved), json(404, { error: { code: 'not_found', message: 'no board' } })];
    const client = new ApiClient({ fetchImpl: (async () => answers.shift()!) as unknown as typeof fetch });
    expect(await getSavedBoard('c', client)).toEqual(saved);
    expect(await getSavedBoard('c', client)).toBeNull();
  });

  it('converts data URLs to blobs and back', async () => {
    const blob = dataUrlToBlob('data:image/png;base64,iVBORw==');
    expect(blob.type).toBe('image/png');
    expect(blob.size).toBe(4);
    expect(await blobToDataUrl(blob)).toBe('data:image/png;base64,iVBORw==');
    expect(() => dataUrlToBlob('https://example.test/x.png')).toThrow();
  });
});
