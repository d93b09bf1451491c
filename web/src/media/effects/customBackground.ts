// The person's own background image: scaled down in the browser (nobody needs a 24-megapixel
// background for a 720p call), kept in this browser's IndexedDB and never sent to the server.

export const CUSTOM_BACKGROUND_MAX = { width: 1280, height: 720 };
const DB_NAME = 'fluxmeet-effects';
const STORE = 'backgrounds';
const KEY = 'custom';

/** The size an image of `width` x `height` is stored at: within the limit, aspect ratio kept. */
export function fitWithin(width: number, height: number, max = CUSTOM_BACKGROUND_MAX): { width: number; height: number } {
  const scale = Math.min(1, max.width / width, max.height / height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** Decodes an uploaded file and re-encodes it as a JPEG within CUSTOM_BACKGROUND_MAX. */
export async function prepareCustomImage(file: Blob): Promise<Blob> {
  const bitmap = await createImageBitmap(file);
  try {
    const { width, height } = fitWithin(bitmap.width, bitmap.height);
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas');
    ctx.drawImage(bitmap, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the image could not be encoded'))), 'image/jpeg', 0.85),
    );
  } finally {
    bitmap.close();
  }
}

function openDatabase(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') {
      reject(new Error('IndexedDB is not available'));
      return;
    }
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB could not be opened'));
  });
}

async function withStore<T>(mode: IDBTransactionMode, request: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDatabase();
  try {
    return await new Promise<T>((resolve, reject) => {
      const pending = request(db.transaction(STORE, mode).objectStore(STORE));
      pending.onsuccess = () => resolve(pending.result);
      pending.onerror = () => reject(pending.error ?? new Error('IndexedDB request failed'));
    });
  } finally {
    db.close();
  }
}

export function saveCustomBackground(image: Blob): Promise<unknown> {
  return withStore('readwrite', (store) => store.put(image, KEY));
}

export async function loadCustomBackground(): Promise<Blob | null> {
  const value = await withStore<unknown>('readonly', (store) => store.get(KEY));
  return value instanceof Blob ? value : null;
}

export function deleteCustomBackground(): Promise<unknown> {
  return withStore('readwrite', (store) => store.delete(KEY));
}
