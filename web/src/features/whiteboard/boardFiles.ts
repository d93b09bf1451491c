/**
 * Board images over REST (docs/protocol.md "Whiteboard images"): an image pasted or inserted on
 * the board is PUT raw to the server, which tells the others (`board.file`); they GET it. Both
 * carry the bearer token the signaling connection uses (a user's access token or a guest token),
 * so guests can add pictures too. The browser refuses what the server would: anything but PNG,
 * JPEG, WebP and GIF, and anything over 2 MiB.
 */
import { API_BASE, api, type ApiClient } from '../../api/client';
import { ApiError, errorFromResponse } from '../../api/errors';
import { strings } from '../../i18n/strings';
import type { SavedBoard } from './boardTypes';

export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
export const IMAGE_TYPES: readonly string[] = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];

/** Why an image cannot go on the board, or null when it can. */
export function imageProblem(mimeType: string, bytes: number): string | null {
  if (!IMAGE_TYPES.includes(mimeType)) return strings.board.imageType;
  if (bytes > MAX_IMAGE_BYTES) return strings.board.imageTooLarge((bytes / (1024 * 1024)).toFixed(1));
  return null;
}

const boardPath = (code: string) => `/meetings/${encodeURIComponent(code)}/board`;
const filePath = (code: string, fileId: string) => `${boardPath(code)}/files/${encodeURIComponent(fileId)}`;

export type TokenSource = (renew: boolean) => Promise<string | null>;

export interface BoardFileOptions {
  code: string;
  token: TokenSource;
  fetchImpl?: typeof fetch;
}

async function authorizedFetch(url: string, init: RequestInit, { token, fetchImpl }: BoardFileOptions): Promise<Response> {
  const doFetch = fetchImpl ?? ((input: RequestInfo | URL, options?: RequestInit) => globalThis.fetch(input, options));
  const send = async (renew: boolean) => {
    const bearer = await token(renew);
    const headers = new Headers(init.headers);
    if (bearer) headers.set('Authorization', `Bearer ${bearer}`);
    try {
      return await doFetch(url, { ...init, headers, credentials: 'same-origin' });
    } catch {
      throw new ApiError(0, 'network_error', strings.errors.network);
    }
  };
  let res = await send(false);
  // An expired access token: renew once, as the signaling connection does.
  if (res.status === 401) res = await send(true);
  if (!res.ok) throw await errorFromResponse(res);
  return res;
}

/** PUT /meetings/{code}/board/files/{fileId} with the raw image (201 Created). */
export async function uploadBoardFile(options: BoardFileOptions & { fileId: string; blob: Blob }): Promise<void> {
  const problem = imageProblem(options.blob.type, options.blob.size);
  if (problem) throw new ApiError(0, 'validation_failed', problem);
  await authorizedFetch(
    API_BASE + filePath(options.code, options.fileId),
    { method: 'PUT', body: options.blob, headers: { 'Content-Type': options.blob.type } },
    options,
  );
}

/** GET /meetings/{code}/board/files/{fileId}: the image as a Blob. */
export async function downloadBoardFile(options: BoardFileOptions & { fileId: string }): Promise<Blob> {
  const res = await authorizedFetch(API_BASE + filePath(options.code, options.fileId), { method: 'GET' }, options);
  return res.blob();
}

/** GET /meetings/{code}/board after the meeting (members only); null when the meeting kept none. */
export async function getSavedBoard(code: string, client: ApiClient = api): Promise<SavedBoard | null> {
  try {
    return await client.request<SavedBoard>(boardPath(code));
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

/** An image of a saved board, with the signed-in user's token. */
export async function downloadSavedBoardFile(code: string, fileId: string, client: ApiClient = api): Promise<Blob> {
  return (await client.download(filePath(code, fileId))).blob;
}

export function dataUrlToBlob(dataUrl: string): Blob {
  const match = /^data:([^;,]+)?(;base64)?,(.*)$/s.exec(dataUrl);
  if (!match) throw new Error('not a data URL');
  const mimeType = match[1] ?? 'application/octet-stream';
  const payload = match[3];
  if (!match[2]) return new Blob([decodeURIComponent(payload)], { type: mimeType });
  const binary = atob(payload);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type: mimeType });
}

export function blobToDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('could not read the image'));
    reader.readAsDataURL(blob);
  });
}
