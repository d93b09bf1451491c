// Recording the meeting on this device, as the person sees it: the visible tiles are drawn into a
// canvas (a grid, names on them, the shared screen large), every voice (remote and our own
// microphone) is mixed with WebAudio, and MediaRecorder turns both into a file that is downloaded
// when the recording stops. Nothing leaves the machine. Plain TypeScript: the tiles and the audio
// tracks come from callbacks, the browser objects from a small environment that tests replace.

export interface RecordedTile {
  /** The person's name, for the initials when there is no picture. */
  name: string;
  /** What the tile says under the picture, e.g. "Ann (you)". */
  label: string;
  /** The playing <video> of the tile, or null when the camera is off. */
  video: HTMLVideoElement | null;
  mirrored: boolean;
  screen: boolean;
  speaking: boolean;
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

const TILE_ASPECT = 16 / 9;

/** The largest 16:9 tiles for `count` tiles in `area`, centred, the last row centred too. */
export function gridRects(count: number, area: Rect, gap: number): Rect[] {
  if (count <= 0) return [];
  let best = { columns: 1, w: 0 };
  for (let columns = 1; columns <= count; columns++) {
    const rows = Math.ceil(count / columns);
    const cellW = (area.w - gap * (columns - 1)) / columns;
    const cellH = (area.h - gap * (rows - 1)) / rows;
    const w = Math.min(cellW, cellH * TILE_ASPECT);
    if (w > best.w) best = { columns, w };
  }
  const { columns, w } = best;
  const h = w / TILE_ASPECT;
  const rows = Math.ceil(count / columns);
  const top = area.y + (area.h - (rows * h + (rows - 1) * gap)) / 2;
  const rects: Rect[] = [];
  for (let i = 0; i < count; i++) {
    const row = Math.floor(i / columns);
    const inRow = row === rows - 1 ? count - row * columns : columns;
    const left = area.x + (area.w - (inRow * w + (inRow - 1) * gap)) / 2;
    rects.push({ x: left + (i % columns) * (w + gap), y: top + row * (h + gap), w, h });
  }
  return rects;
}

/**
 * Where each tile goes on a `width` x `height` canvas, in the order given. Without a shared
 * screen everyone shares a grid; with one, screens fill the top and people a strip below, as in
 * the room.
 */
export function layoutTiles(tiles: Pick<RecordedTile, 'screen'>[], width: number, height: number, gap = 8): Rect[] {
  const full = { x: gap, y: gap, w: width - 2 * gap, h: height - 2 * gap };
  const screens = tiles.filter((t) => t.screen).length;
  const people = tiles.length - screens;
  if (screens === 0 || people === 0) return gridRects(tiles.length, full, gap);
  const stripH = Math.round(full.h * 0.22);
  const screenRects = gridRects(screens, { ...full, h: full.h - stripH - gap }, gap);
  const peopleRects = gridRects(people, { ...full, y: full.y + full.h - stripH, h: stripH }, gap);
  return tiles.map((t) => (t.screen ? screenRects.shift()! : peopleRects.shift()!));
}

/** Where to draw a `srcW` x `srcH` picture in `rect`: filling it (cover) or whole (contain). */
export function fitRect(srcW: number, srcH: number, rect: Rect, mode: 'cover' | 'contain'): Rect {
  const scale = mode === 'cover' ? Math.max(rect.w / srcW, rect.h / srcH) : Math.min(rect.w / srcW, rect.h / srcH);
  const w = srcW * scale;
  const h = srcH * scale;
  return { x: rect.x + (rect.w - w) / 2, y: rect.y + (rect.h - h) / 2, w, h };
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : parts;
  return letters.map((p) => Array.from(p)[0]?.toUpperCase() ?? '').join('') || '?';
}

// HTMLMediaElement.HAVE_CURRENT_DATA: a frame can be drawn.
const HAVE_CURRENT_DATA = 2;

/** Draws one tile: the picture (or the initials), the name, and a ring while the person speaks. */
export function drawTile(ctx: CanvasRenderingContext2D, tile: RecordedTile, rect: Rect): void {
  ctx.fillStyle = '#202124';
  ctx.fillRect(rect.x, rect.y, rect.w, rect.h);
  const video = tile.video;
  if (video && video.readyState >= HAVE_CURRENT_DATA && video.videoWidth > 0 && video.videoHeight > 0) {
    const dest = fitRect(video.videoWidth, video.videoHeight, rect, tile.screen ? 'contain' : 'cover');
    ctx.save();
    ctx.beginPath();
    ctx.rect(rect.x, rect.y, rect.w, rect.h);
    ctx.clip();
    if (tile.mirrored) {
      // Our own camera shows mirrored in the room; record it as the person saw it.
      ctx.translate(2 * rect.x + rect.w, 0);
      ctx.scale(-1, 1);
    }
    ctx.drawImage(video, dest.x, dest.y, dest.w, dest.h);
    ctx.restore();
  } else {
    const radius = Math.min(rect.w, rect.h) * 0.18;
    ctx.fillStyle = '#5f6368';
    ctx.beginPath();
    ctx.arc(rect.x + rect.w / 2, rect.y + rect.h / 2, radius, 0, 2 * Math.PI);
    ctx.fill();
    ctx.fillStyle = '#ffffff';
    ctx.font = `${Math.round(radius * 0.8)}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(initials(tile.name), rect.x + rect.w / 2, rect.y + rect.h / 2);
  }
  // About the size of the room's caption: readable in a small tile, not shouting in a large one.
  const size = Math.min(22, Math.max(12, Math.round(rect.h / 14)));
  ctx.font = `${size}px system-ui, sans-serif`;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  const padding = size / 2;
  const labelW = Math.min(rect.w - 2 * padding, ctx.measureText(tile.label).width + 2 * padding);
  const labelH = size * 1.6;
  ctx.fillStyle = 'rgba(0, 0, 0, 0.55)';
  ctx.fillRect(rect.x + padding, rect.y + rect.h - labelH - padding, labelW, labelH);
  ctx.fillStyle = '#ffffff';
  ctx.fillText(tile.label, rect.x + 2 * padding, rect.y + rect.h - labelH / 2 - padding, labelW - 2 * padding);
  if (tile.speaking) {
    ctx.strokeStyle = '#1a73e8';
    ctx.lineWidth = 4;
    ctx.strokeRect(rect.x + 2, rect.y + 2, rect.w - 4, rect.h - 4);
  }
}

/** Draws the whole view: black background, then each tile in its place. */
export function drawFrame(ctx: CanvasRenderingContext2D, tiles: RecordedTile[], width: number, height: number): void {
  ctx.fillStyle = '#000000';
  ctx.fillRect(0, 0, width, height);
  const rects = layoutTiles(tiles, width, height);
  tiles.forEach((tile, i) => drawTile(ctx, tile, rects[i]));
}

/** Container and codecs, best first: VP8 + Opus plays everywhere; Safari records only MP4. */
export const MIME_CANDIDATES = [
  'video/webm;codecs=vp8,opus',
  'video/webm;codecs=vp9,opus',
  'video/webm',
  'video/mp4;codecs=avc1,mp4a',
  'video/mp4',
];

/** The first type the browser can record, or '' to let it choose. */
export function chooseMimeType(isTypeSupported: (type: string) => boolean): string {
  return MIME_CANDIDATES.find((type) => isTypeSupported(type)) ?? '';
}

export function extensionFor(mimeType: string): 'webm' | 'mp4' {
  return mimeType.startsWith('video/mp4') ? 'mp4' : 'webm';
}

const pad = (n: number) => String(n).padStart(2, '0');

/** flux-meet-<code>-<YYYY-MM-DD-HHMM>.<ext>, local time, safe on every file system. */
export function recordingFileName(code: string, date: Date, extension = 'webm'): string {
  const safeCode = code.toLowerCase().replace(/[^a-z0-9-]+/g, '-') || 'meeting';
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return `flux-meet-${safeCode}-${day}-${pad(date.getHours())}${pad(date.getMinutes())}.${extension}`;
}

/** Mixes any number of audio tracks into one; tracks can come and go while it runs. */
export class AudioMixer {
  private readonly inputs = new Map<MediaStreamTrack, AudioNode>();
  private readonly destination: MediaStreamAudioDestinationNode;

  constructor(private readonly context: AudioContext) {
    this.destination = context.createMediaStreamDestination();
    // Made in a click handler it runs; otherwise (autoplay policy) it may start suspended.
    if (context.state === 'suspended') void context.resume().catch(() => undefined);
  }

  get track(): MediaStreamTrack | null {
    return this.destination.stream.getAudioTracks()[0] ?? null;
  }

  /** Makes the mix exactly `tracks` (ended ones left out). */
  setTracks(tracks: MediaStreamTrack[]): void {
    const wanted = new Set(tracks.filter((t) => t.kind === 'audio' && t.readyState !== 'ended'));
    for (const [track, node] of this.inputs) {
      if (wanted.has(track)) continue;
      node.disconnect();
      this.inputs.delete(track);
    }
    for (const track of wanted) {
      if (this.inputs.has(track)) continue;
      const node = this.context.createMediaStreamSource(new MediaStream([track]));
      node.connect(this.destination);
      this.inputs.set(track, node);
    }
  }

  get size(): number {
    return this.inputs.size;
  }

  close(): void {
    for (const node of this.inputs.values()) node.disconnect();
    this.inputs.clear();
    for (const track of this.destination.stream.getTracks()) track.stop();
    void this.context.close().catch(() => undefined);
  }
}

/** Saves `blob` as a download named `fileName`. */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoked later: some browsers read the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

type RecorderClass = {
  new (stream: MediaStream, options?: MediaRecorderOptions): MediaRecorder;
  isTypeSupported(type: string): boolean;
};

/** The browser objects a recording needs; tests hand in fakes. */
export interface RecorderEnv {
  MediaRecorder: RecorderClass | null;
  createCanvas: () => HTMLCanvasElement;
  createAudioContext: () => AudioContext | null;
  save: (blob: Blob, fileName: string) => void;
  now: () => number;
}

export function browserRecorderEnv(): RecorderEnv {
  const Context =
    typeof AudioContext !== 'undefined' ? AudioContext : (globalThis as { webkitAudioContext?: new () => AudioContext }).webkitAudioContext;
  return {
    MediaRecorder: typeof MediaRecorder !== 'undefined' ? MediaRecorder : null,
    createCanvas: () => document.createElement('canvas'),
    createAudioContext: () => (Context ? new Context() : null),
    save: downloadBlob,
    now: () => Date.now(),
  };
}

export interface RecorderSources {
  tiles: () => RecordedTile[];
  audioTracks: () => MediaStreamTrack[];
}

export interface RecorderOptions {
  /** The file's name for the chosen extension and the time the recording started. */
  fileName: (extension: string, startedAt: Date) => string;
  /** Told after the file was handed to the browser's download. */
  onSaved?: (fileName: string) => void;
  width?: number;
  height?: number;
  fps?: number;
  videoBitsPerSecond?: number;
  /** How often MediaRecorder hands over data; small pieces keep a crash from losing everything. */
  timesliceMs?: number;
}

export type RecordingStatus = 'idle' | 'recording' | 'saving';

export interface RecordingState {
  status: RecordingStatus;
  /** When the running recording started (env.now()), else null. */
  startedAt: number | null;
  error: string | null;
  /** The name of the last file saved. */
  savedFile: string | null;
}

/** Whether this browser can record the meeting at all. */
export function canRecord(env: RecorderEnv): boolean {
  if (!env.MediaRecorder) return false;
  if (typeof document === 'undefined') return true;
  const probe = env.createCanvas();
  return typeof probe.captureStream === 'function';
}

interface Running {
  recorder: MediaRecorder;
  canvas: HTMLCanvasElement;
  canvasTrack: MediaStreamTrack | null;
  mixer: AudioMixer | null;
  timer: ReturnType<typeof setInterval>;
  chunks: Blob[];
  mimeType: string;
  stopped: Promise<void>;
}

/**
 * One recording at a time: start() composes and records, stop() finishes the file and downloads
 * it, and releases the canvas, the audio context and every track it made. State is a snapshot for
 * useSyncExternalStore.
 */
export class LocalRecorder {
  private state: RecordingState = { status: 'idle', startedAt: null, error: null, savedFile: null };
  private readonly listeners = new Set<() => void>();
  private running: Running | null = null;
  private stopping: Promise<void> | null = null;

  constructor(
    private readonly sources: RecorderSources,
    private readonly options: RecorderOptions,
    private readonly env: RecorderEnv = browserRecorderEnv(),
  ) {}

  getState = (): RecordingState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(change: Partial<RecordingState>): void {
    this.state = { ...this.state, ...change };
    for (const listener of this.listeners) listener();
  }

  get supported(): boolean {
    return canRecord(this.env);
  }

  /** Starts recording; returns false (with state.error set) when this browser cannot. */
  start(): boolean {
    if (this.running || this.stopping) return this.running !== null;
    const Recorder = this.env.MediaRecorder;
    const width = this.options.width ?? 1280;
    const height = this.options.height ?? 720;
    const fps = this.options.fps ?? 24;
    const canvas = this.env.createCanvas();
    const ctx = typeof canvas.captureStream === 'function' ? canvas.getContext('2d') : null;
    if (!Recorder || !ctx) {
      this.set({ error: 'unsupported' });
      return false;
    }
    canvas.width = width;
    canvas.height = height;
    let mixer: AudioMixer | null = null;
    let canvasTrack: MediaStreamTrack | null = null;
    try {
      const draw = () => drawFrame(ctx, this.sources.tiles(), width, height);
      draw();
      const video = canvas.captureStream(fps);
      canvasTrack = video.getVideoTracks()[0] ?? null;
      const context = this.env.createAudioContext();
      mixer = context ? new AudioMixer(context) : null;
      mixer?.setTracks(this.sources.audioTracks());
      const tracks = [canvasTrack, mixer?.track ?? null].filter((t): t is MediaStreamTrack => t !== null);
      const mimeType = chooseMimeType((type) => Recorder.isTypeSupported(type));
      const recorder = new Recorder(new MediaStream(tracks), {
        ...(mimeType ? { mimeType } : {}),
        videoBitsPerSecond: this.options.videoBitsPerSecond ?? 1_500_000,
        audioBitsPerSecond: 128_000,
      });
      const chunks: Blob[] = [];
      recorder.ondataavailable = (event) => {
        if (event.data && event.data.size > 0) chunks.push(event.data);
      };
      const stopped = new Promise<void>((resolve) => {
        recorder.onstop = () => resolve();
      });
      // A recorder error (e.g. out of memory) ends the recording; what was recorded is still saved.
      recorder.onerror = () => void this.stop();
      // A timer, not requestAnimationFrame: that one stops in a background tab, and the recording would freeze.
      const timer = setInterval(draw, Math.round(1000 / fps));
      this.running = { recorder, canvas, canvasTrack, mixer, timer, chunks, mimeType: recorder.mimeType || mimeType, stopped };
      recorder.start(this.options.timesliceMs ?? 1000);
    } catch (error) {
      this.release(canvas, canvasTrack, mixer);
      if (this.running) clearInterval(this.running.timer);
      this.running = null;
      this.set({ error: error instanceof Error ? error.message : String(error) });
      return false;
    }
    this.set({ status: 'recording', startedAt: this.env.now(), error: null });
    return true;
  }

  /** Call when people or microphones change: the mix follows. */
  refreshAudio(): void {
    this.running?.mixer?.setTracks(this.sources.audioTracks());
  }

  /** Finishes the file, downloads it and releases everything; resolves when done. */
  stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    const running = this.running;
    if (!running) return Promise.resolve();
    this.set({ status: 'saving' });
    this.stopping = this.finish(running).finally(() => {
      this.running = null;
      this.stopping = null;
    });
    return this.stopping;
  }

  private async finish(running: Running): Promise<void> {
    clearInterval(running.timer);
    if (running.recorder.state !== 'inactive') {
      running.recorder.stop();
      await running.stopped;
    }
    this.release(running.canvas, running.canvasTrack, running.mixer);
    const type = running.recorder.mimeType || running.mimeType || 'video/webm';
    const blob = new Blob(running.chunks, { type: type.split(';')[0] });
    running.chunks.length = 0;
    let savedFile: string | null = null;
    if (blob.size > 0) {
      savedFile = this.options.fileName(extensionFor(type), new Date(this.state.startedAt ?? this.env.now()));
      this.env.save(blob, savedFile);
    }
    this.set({ status: 'idle', startedAt: null, savedFile });
    if (savedFile) this.options.onSaved?.(savedFile);
  }

  private release(canvas: HTMLCanvasElement, canvasTrack: MediaStreamTrack | null, mixer: AudioMixer | null): void {
    canvasTrack?.stop();
    mixer?.close();
    // Shrinking the canvas frees its pixel buffer at once rather than at garbage collection.
    canvas.width = 0;
    canvas.height = 0;
  }
}
