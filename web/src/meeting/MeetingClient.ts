/**
 * MeetingClient: one person's side of a live meeting, in plain TypeScript (React only renders its
 * state). It owns the signaling connection, the mediasoup-client Device, the send and receive
 * transports, the local producers (mic, camera, screen) and one consumer per remote track, and
 * keeps the meeting state (peers, chat, lobby, active speaker) from the protocol's notifications
 * (docs/protocol.md; the pure part is roomState.ts). State is an immutable snapshot replaced on
 * every change, so useSyncExternalStore can subscribe to it; passing events (someone joined,
 * left, reacted) go to onEvent listeners instead.
 */
import { Device, type types as ms } from 'mediasoup-client';
import { SignalClient, SignalError, type ConnectionState } from '../signal/SignalClient';
import type {
  ChatMessage,
  ConsumeResult,
  JoinResult,
  JoinedSnapshot,
  MediaSource,
  ProducerNotice,
  ServerRecording,
  TransportOptions,
} from '../signal/protocol';
import { strings } from '../i18n/strings';
import type { CameraEffectHook } from '../media/effects/cameraEffects';
import { ReactionThrottle, isReactionEmoji, type ReactionEmoji } from './reactions';
import {
  INITIAL_STATE as INITIAL,
  isBoardInfo,
  isServerRecording,
  reduceNotification,
  withChatMessage,
  withChatReplaced,
  type MeetingEvent,
  type MeetingState,
  type MeetingStatus,
  type RemoteTrack,
} from './roomState';

export type { MeetingEvent, MeetingState, MeetingStatus, RemoteTrack } from './roomState';

export interface JoinOptions {
  code: string;
  displayName: string;
  passcode?: string;
  stream: MediaStream | null;
  audioEnabled: boolean;
  videoEnabled: boolean;
  videoDeviceId?: string;
}

export interface MeetingClientDeps {
  signal: (handlers: {
    onNotification: (method: string, data: unknown) => void;
    onStateChange: (state: ConnectionState) => void;
    onResumeFailed: () => void;
  }) => SignalClient;
  createDevice?: () => Device;
  getUserMedia?: (constraints: MediaStreamConstraints) => Promise<MediaStream>;
  getDisplayMedia?: (constraints: DisplayMediaStreamOptions) => Promise<MediaStream>;
  now?: () => number;
  /** The token the signaling connection uses (user or guest): REST calls of the room (board images) use it too. */
  authToken?: (renew: boolean) => Promise<string | null>;
}

// Simulcast for the camera (RFC 8853): three layers, the SFU forwards to each subscriber the one
// that fits its window and bandwidth. Lowest first, as the SFU numbers layers.
const CAMERA_ENCODINGS: RTCRtpEncodingParameters[] = [
  { scaleResolutionDownBy: 4, maxBitrate: 150_000 },
  { scaleResolutionDownBy: 2, maxBitrate: 500_000 },
  { scaleResolutionDownBy: 1, maxBitrate: 1_500_000 },
];

export class MeetingClient {
  private state: MeetingState = INITIAL;
  private readonly listeners = new Set<() => void>();
  private readonly eventListeners = new Set<(event: MeetingEvent) => void>();
  private readonly boardListeners = new Set<(method: string, data: unknown) => void>();
  private readonly reactionThrottle = new ReactionThrottle();
  private readonly signal: SignalClient;
  private device: Device | null = null;
  private sendTransport: ms.Transport | null = null;
  private recvTransport: ms.Transport | null = null;
  private readonly producers = new Map<MediaSource, ms.Producer>();
  private readonly consumers = new Map<string, ms.Consumer>(); // by consumer id
  private joinOptions: JoinOptions | null = null;
  private micTrack: MediaStreamTrack | null = null;
  chatOpen = false;

  constructor(private readonly deps: MeetingClientDeps) {
    this.signal = deps.signal({
      onNotification: (method, data) => this.onNotification(method, data),
      onStateChange: (connection) => this.update({ connection }),
      onResumeFailed: () => void this.rejoin(),
    });
  }

  // --- state ---------------------------------------------------------------------------------
  getState = (): MeetingState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private update(change: Partial<MeetingState>): void {
    this.state = { ...this.state, ...change };
    for (const listener of this.listeners) listener();
  }

  /** Passing events (joins, leaves, reactions) for toasts and animations; not kept in the state. */
  onEvent = (listener: (event: MeetingEvent) => void): (() => void) => {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  };

  private emit(event: MeetingEvent): void {
    for (const listener of this.eventListeners) listener(event);
  }

  // --- joining -------------------------------------------------------------------------------
  async join(options: JoinOptions): Promise<void> {
    this.joinOptions = options;
    this.micTrack = options.stream?.getAudioTracks()[0] ?? null;
    this.update({ status: 'joining', error: null });
    try {
      await this.signal.connect();
      await this.enter();
    } catch (error) {
      this.update({ status: 'failed', error: messageOf(error) });
      throw error;
    }
  }

  private async enter(): Promise<void> {
    const options = this.joinOptions!;
    const result = await this.signal.request<JoinResult>('join', {
      code: options.code,
      displayName: options.displayName,
      ...(options.passcode ? { passcode: options.passcode } : {}),
    });
    if (result.state === 'waiting') {
      this.update({ status: 'waiting' });
      return;
    }
    await this.onJoined(result);
  }

  private async rejoin(): Promise<void> {
    // The server forgot us (grace period over): tear media down and join again.
    this.closeMedia(false);
    try {
      await this.enter();
    } catch (error) {
      this.update({ status: 'failed', error: messageOf(error) });
    }
  }

  private async onJoined(snapshot: JoinedSnapshot): Promise<void> {
    const recording = snapshot.recording ?? null;
    // Told at once on entering a recorded meeting (the pre-join screen cannot know yet); not again
    // on a room.snapshot after a reconnection when we knew already.
    const tellRecording = recording !== null && this.state.recording === null;
    this.update({
      recording,
      ...(tellRecording ? { recordingNotice: strings.serverRecording.beingRecorded } : {}),
      status: 'joined',
      self: snapshot.you,
      meeting: snapshot.meeting,
      peers: snapshot.peers,
      chat: snapshot.chat.messages,
      lobby: snapshot.lobby ?? [],
      board: isBoardInfo(snapshot.board) ? { ...snapshot.board } : null,
    });
    // The room shows at once; media comes up behind it (a failure is a notice, not a lost join).
    void this.startMedia(snapshot.routerRtpCapabilities ?? null)
      .then(() => Promise.all(snapshot.producers.map((producer) => this.consume(producer))))
      .catch((error) => this.update({ notice: `Audio/video could not start: ${messageOf(error)}` }));
  }

  private async startMedia(known: ms.RtpCapabilities | null): Promise<void> {
    const rtpCapabilities =
      known ?? (await this.signal.request<{ rtpCapabilities: ms.RtpCapabilities }>('getRouterRtpCapabilities')).rtpCapabilities;
    const device = this.deps.createDevice ? this.deps.createDevice() : new Device();
    await device.load({ routerRtpCapabilities: rtpCapabilities });
    this.device = device;
    this.sendTransport = await this.createTransport('send');
    this.recvTransport = await this.createTransport('recv');
    const options = this.joinOptions!;
    if (this.micTrack) await this.produce('mic', this.micTrack, !options.audioEnabled);
    const camera = options.stream?.getVideoTracks()[0];
    if (camera && options.videoEnabled) await this.produce('camera', camera, false);
    else camera?.stop();
  }

  private async createTransport(direction: 'send' | 'recv'): Promise<ms.Transport> {
    const options = await this.signal.request<TransportOptions>('createTransport', { direction });
    const params = {
      id: options.id,
      iceParameters: options.iceParameters,
      iceCandidates: options.iceCandidates,
      dtlsParameters: options.dtlsParameters,
      iceServers: options.iceServers,
    };
    const transport = direction === 'send' ? this.device!.createSendTransport(params) : this.device!.createRecvTransport(params);
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      this.signal.request('connectTransport', { transportId: transport.id, dtlsParameters }).then(() => callback(), errback);
    });
    if (direction === 'send') {
      transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
        this.signal
          .request<{ id: string }>('produce', {
            transportId: transport.id,
            kind,
            rtpParameters,
            appData: { source: appData.source },
            paused: Boolean(appData.paused),
          })
          .then(({ id }) => callback({ id }), errback);
      });
    }
    transport.on('connectionstatechange', (connectionState) => {
      if (connectionState === 'failed' || connectionState === 'disconnected') void this.restartIce(transport);
    });
    return transport;
  }

  private async restartIce(transport: ms.Transport): Promise<void> {
    try {
      const { iceParameters } = await this.signal.request<{ iceParameters: ms.IceParameters }>('restartIce', {
        transportId: transport.id,
      });
      await transport.restartIce({ iceParameters });
    } catch {
      // The next state change (or reconnection) tries again.
    }
  }

  private async produce(source: MediaSource, input: MediaStreamTrack, paused: boolean): Promise<void> {
    if (!this.sendTransport) return;
    const video = source === 'camera';
    // With a video effect chosen, the camera is sent processed from its first frame.
    const track = video && this.cameraEffect ? await this.cameraEffect.followCamera(input) : input;
    const producer = await this.sendTransport.produce({
      track,
      ...(video ? { encodings: CAMERA_ENCODINGS, codecOptions: { videoGoogleStartBitrate: 1000 } } : {}),
      // A muted microphone sends nothing (the sender is set inactive), not a stream of encoded
      // silence that the SFU would only drop.
      ...(source === 'mic' ? { zeroRtpOnPause: true } : {}),
      stopTracks: false,
      appData: { source, paused },
    });
    if (paused) producer.pause();
    this.producers.set(source, producer);
    producer.on('trackended', () => void this.localTrackEnded(source));
    this.setLocal(source, !paused, track);
  }

  private setLocal(source: MediaSource, on: boolean, track: MediaStreamTrack | null): void {
    const local = { ...this.state.local };
    if (source === 'mic') local.mic = on;
    if (source === 'camera') {
      local.camera = on;
      local.cameraTrack = on ? track : null;
    }
    if (source === 'screen') {
      local.screen = on;
      local.screenTrack = on ? track : null;
    }
    this.update({ local });
  }

  // --- local controls ------------------------------------------------------------------------
  async setMicEnabled(enabled: boolean): Promise<void> {
    const producer = this.producers.get('mic');
    if (!producer) {
      if (!enabled) return;
      const deviceId = this.preferredAudioDeviceId;
      const stream = await this.userMedia({ audio: deviceId ? { deviceId: { ideal: deviceId } } : true });
      this.micTrack = stream.getAudioTracks()[0] ?? null;
      if (this.micTrack) await this.produce('mic', this.micTrack, false);
      return;
    }
    if (enabled) {
      producer.resume();
      await this.signal.request('resumeProducer', { producerId: producer.id });
    } else {
      producer.pause();
      await this.signal.request('pauseProducer', { producerId: producer.id });
    }
    this.setLocal('mic', enabled, producer.track);
  }

  async setCameraEnabled(enabled: boolean): Promise<void> {
    if (!enabled) {
      await this.stopSource('camera');
      return;
    }
    if (this.producers.has('camera')) return;
    const deviceId = this.joinOptions?.videoDeviceId;
    const stream = await this.userMedia({ video: deviceId ? { deviceId: { ideal: deviceId } } : true });
    const track = stream.getVideoTracks()[0];
    if (track) await this.produce('camera', track, false);
  }

  async startScreenShare(): Promise<void> {
    if (this.producers.has('screen')) return;
    const getDisplayMedia = this.deps.getDisplayMedia ?? ((c) => navigator.mediaDevices.getDisplayMedia(c));
    const stream = await getDisplayMedia({ video: true, audio: false });
    const track = stream.getVideoTracks()[0];
    if (!track) return;
    try {
      await this.produce('screen', track, false);
    } catch (error) {
      track.stop();
      throw error;
    }
  }

  stopScreenShare(): Promise<void> {
    return this.stopSource('screen');
  }

  private async stopSource(source: MediaSource): Promise<void> {
    const producer = this.producers.get(source);
    if (!producer) return;
    this.producers.delete(source);
    producer.close();
    producer.track?.stop();
    if (source === 'camera') this.cameraEffect?.cameraClosed(true);
    this.setLocal(source, false, null);
    await this.signal.request('closeProducer', { producerId: producer.id }).catch(() => undefined);
  }

  private userMedia(constraints: MediaStreamConstraints): Promise<MediaStream> {
    const getUserMedia = this.deps.getUserMedia ?? ((c) => navigator.mediaDevices.getUserMedia(c));
    return getUserMedia(constraints);
  }

  // --- remote media --------------------------------------------------------------------------
  private async consume(producer: ProducerNotice): Promise<void> {
    if (!this.device || !this.recvTransport || producer.peerId === this.state.self?.peerId) return;
    try {
      const result = await this.signal.request<ConsumeResult>('consume', {
        transportId: this.recvTransport.id,
        producerId: producer.producerId,
        rtpCapabilities: this.device.rtpCapabilities,
      });
      const consumer = await this.recvTransport.consume({
        id: result.id,
        producerId: result.producerId,
        kind: result.kind,
        rtpParameters: result.rtpParameters,
      });
      this.consumers.set(consumer.id, consumer);
      this.update({
        remote: [
          ...this.state.remote,
          {
            consumerId: consumer.id,
            producerId: result.producerId,
            peerId: result.appData.peerId,
            source: result.appData.source,
            kind: result.kind,
            track: consumer.track,
            paused: result.producerPaused,
          },
        ],
      });
      await this.signal.request('resumeConsumer', { consumerId: consumer.id });
    } catch (error) {
      this.update({ notice: `Could not receive a stream: ${messageOf(error)}` });
    }
  }

  private dropConsumer(match: (track: RemoteTrack) => boolean): void {
    const gone = this.state.remote.filter(match);
    if (gone.length === 0) return;
    for (const track of gone) {
      this.consumers.get(track.consumerId)?.close();
      this.consumers.delete(track.consumerId);
    }
    this.update({ remote: this.state.remote.filter((track) => !match(track)) });
  }

  /** Subscribers tell the SFU which layer fits a tile (0 = smallest), and pause what is hidden. */
  async setVideoVisibility(consumerId: string, visible: boolean, large: boolean): Promise<void> {
    await this.signal.request('setConsumerVisible', { consumerId, visible }).catch(() => undefined);
    if (visible) {
      await this.signal.request('setConsumerLayers', { consumerId, spatialLayer: large ? 2 : 1 }).catch(() => undefined);
    }
  }

  // --- meeting actions -----------------------------------------------------------------------
  async sendChat(text: string): Promise<void> {
    const message = await this.signal.request<ChatMessage>('chat.send', { text });
    this.addChat(message);
  }

  private addChat(message: ChatMessage): void {
    const change = withChatMessage(this.state, message, this.chatOpen);
    if (change) this.update(change);
  }

  /** Edits one of our own messages; the answer (the edited message) replaces it. */
  async editChat(id: number, text: string): Promise<void> {
    const message = await this.signal.request<ChatMessage>('chat.edit', { id, text });
    const change = withChatReplaced(this.state, message);
    if (change) this.update(change);
  }

  /** Deletes a message (our own; anyone's for hosts and co-hosts: the server checks). */
  async deleteChat(id: number): Promise<void> {
    const message = await this.signal.request<ChatMessage>('chat.delete', { id });
    const change = withChatReplaced(this.state, { ...message, deleted: true });
    if (change) this.update(change);
  }

  markChatRead(open: boolean): void {
    this.chatOpen = open;
    if (open && this.state.unreadChat !== 0) this.update({ unreadChat: 0 });
  }

  async setHandRaised(raised: boolean): Promise<void> {
    await this.signal.request(raised ? 'raiseHand' : 'lowerHand');
    this.update({ handRaised: raised });
  }

  /**
   * Sends a reaction and shows it on our own tile at once (the server sends it to the others
   * only). False when throttled: at most one per REACTION_INTERVAL_MS.
   */
  react(emoji: ReactionEmoji): boolean {
    const self = this.state.self;
    if (!self || !this.reactionThrottle.allow(self.peerId, this.now())) return false;
    this.emit({ type: 'reaction', peerId: self.peerId, emoji });
    void this.signal.request('reaction', { emoji }).catch(() => undefined);
    return true;
  }

  private now(): number {
    return this.deps.now ? this.deps.now() : Date.now();
  }

  admit(peerId: string): Promise<unknown> {
    return this.signal.request('lobby.admit', { peerId });
  }

  deny(peerId: string): Promise<unknown> {
    return this.signal.request('lobby.deny', { peerId });
  }

  mutePeer(peerId: string, kind: 'audio' | 'video'): Promise<unknown> {
    return this.signal.request('peer.mute', { peerId, kind });
  }

  setRole(peerId: string, role: 'cohost' | 'participant'): Promise<unknown> {
    return this.signal.request('peer.setRole', { peerId, role });
  }

  /** Shown at once (the switch follows the click); put back if the server refuses. */
  async setLocked(locked: boolean): Promise<void> {
    const meeting = this.state.meeting;
    if (!meeting) return;
    this.update({ meeting: { ...meeting, locked } });
    try {
      await this.signal.request(locked ? 'meeting.lock' : 'meeting.unlock');
    } catch (error) {
      if (this.state.meeting) this.update({ meeting: { ...this.state.meeting, locked: !locked } });
      throw error;
    }
  }

  removePeer(peerId: string): Promise<unknown> {
    return this.signal.request('peer.remove', { peerId });
  }

  /** Starts the server recording (hosts and co-hosts); everyone gets recording.started. */
  async startRecording(): Promise<void> {
    const recording = await this.signal.request<ServerRecording>('recording.start');
    if (isServerRecording(recording)) this.update({ recording });
  }

  async stopRecording(): Promise<void> {
    await this.signal.request('recording.stop');
    this.update({ recording: null });
  }

  // --- whiteboard (features/whiteboard: the sync engine talks through these) ---------------------
  /** Hosts and co-hosts open or close the board for everyone; board.opened/closed follows. */
  async setBoardOpen(open: boolean): Promise<void> {
    await this.signal.request(open ? 'board.open' : 'board.close');
    if (this.state.board) this.update({ board: { ...this.state.board, open } });
  }

  async setBoardReadOnly(readOnly: boolean): Promise<void> {
    await this.signal.request('board.setReadOnly', { readOnly });
    if (this.state.board) this.update({ board: { ...this.state.board, readOnly } });
  }

  /** A board request (board.sync, board.update, board.cursor, board.viewport) on the meeting's connection. */
  boardRequest<T>(method: string, data: object): Promise<T> {
    return this.signal.request<T>(method, data);
  }

  /** Every board.* notification, for the board's sync engine. */
  onBoardNotification = (listener: (method: string, data: unknown) => void): (() => void) => {
    this.boardListeners.add(listener);
    return () => this.boardListeners.delete(listener);
  };

  /** The bearer token for the board's image uploads and downloads (the signaling one). */
  boardToken(renew = false): Promise<string | null> {
    return this.deps.authToken ? this.deps.authToken(renew) : Promise.resolve(null);
  }

  async endMeeting(): Promise<void> {
    await this.signal.request('meeting.end');
  }

  async leave(): Promise<void> {
    if (this.state.status === 'joined' || this.state.status === 'waiting') {
      await this.signal.request('leave').catch(() => undefined);
    }
    this.shutdown('left');
  }

  dismissNotice(): void {
    this.update({ notice: null });
  }

  dismissRecordingNotice(): void {
    this.update({ recordingNotice: null });
  }

  // --- for the room's media tools (networkQuality.ts, deviceSwitch.ts, local recording) -------
  /** Asked first when a local track ends (device unplugged); true means another device took over. */
  localTrackEndedHandler: ((source: MediaSource) => Promise<boolean>) | null = null;
  /** Video effects (media/effects/cameraEffects.ts): the camera goes through it when set. */
  cameraEffect: CameraEffectHook | null = null;
  private preferredAudioDeviceId: string | undefined;

  /** The send and receive transports while media is up; their getStats() feeds the network indicator. */
  mediaTransports(): ms.Transport[] {
    return [this.sendTransport, this.recvTransport].filter((t): t is ms.Transport => t !== null && !t.closed);
  }

  /** The producer of a local source while it is on (a muted microphone keeps its producer). */
  localProducer(source: MediaSource): ms.Producer | null {
    return this.producers.get(source) ?? null;
  }

  /** A device switch put `track` into the producer (replaceTrack): the self view, unmute and a rejoin use it. */
  localTrackReplaced(source: 'mic' | 'camera', track: MediaStreamTrack): void {
    if (source === 'mic') this.micTrack = track;
    else if (this.producers.has('camera')) this.setLocal('camera', true, track);
  }

  /** The device to open when the microphone or camera is turned on later (undefined: the default one). */
  preferDevice(kind: 'audio' | 'video', deviceId: string | undefined): void {
    if (kind === 'audio') this.preferredAudioDeviceId = deviceId;
    else if (this.joinOptions) this.joinOptions = { ...this.joinOptions, videoDeviceId: deviceId };
  }

  showNotice(notice: string): void {
    this.update({ notice });
  }

  private async localTrackEnded(source: MediaSource): Promise<void> {
    const handled = this.localTrackEndedHandler ? await this.localTrackEndedHandler(source).catch(() => false) : false;
    if (!handled) await this.stopSource(source);
  }

  private shutdown(status: MeetingStatus): void {
    this.closeMedia(true);
    this.signal.close();
    this.update({ status });
  }

  private closeMedia(stopLocal: boolean): void {
    for (const producer of this.producers.values()) {
      producer.close();
      if (stopLocal) producer.track?.stop();
    }
    this.producers.clear();
    this.cameraEffect?.cameraClosed(stopLocal);
    for (const consumer of this.consumers.values()) consumer.close();
    this.consumers.clear();
    this.sendTransport?.close();
    this.recvTransport?.close();
    this.sendTransport = null;
    this.recvTransport = null;
    if (stopLocal) this.micTrack?.stop();
    this.update({ remote: [], local: INITIAL.local });
  }

  // --- notifications -------------------------------------------------------------------------
  private onNotification(method: string, data: unknown): void {
    const reduction = reduceNotification(this.state, method, data, this.chatOpen);
    if (reduction) {
      if (reduction.change) this.update(reduction.change);
      for (const event of reduction.events) this.emit(event);
    }
    if (method.startsWith('board.')) for (const listener of this.boardListeners) listener(method, data);
    const d = (data ?? {}) as Record<string, unknown>;
    switch (method) {
      case 'peer.left':
        this.dropConsumer((t) => t.peerId === d.peerId);
        this.reactionThrottle.forget(String(d.peerId));
        break;
      case 'producer.new':
        void this.consume(d as unknown as ProducerNotice);
        break;
      case 'producer.closed':
        this.dropConsumer((t) => t.producerId === d.producerId);
        break;
      case 'consumer.closed':
        this.dropConsumer((t) => t.consumerId === d.consumerId);
        break;
      case 'reaction':
        // Others' reactions pass the same throttle as ours, so a misbehaving client cannot flood the tiles.
        if (typeof d.peerId === 'string' && isReactionEmoji(d.emoji) && this.reactionThrottle.allow(d.peerId, this.now())) {
          this.emit({ type: 'reaction', peerId: d.peerId, emoji: d.emoji });
        }
        break;
      case 'lobby.admitted':
      case 'room.snapshot':
        void this.onJoined(d as unknown as JoinedSnapshot);
        break;
      case 'lobby.denied':
        this.shutdown('denied');
        break;
      case 'you.muted':
        if (d.kind === 'audio') {
          // The server paused our producer already; stop sending too, as our own mute does.
          this.producers.get('mic')?.pause();
          this.setLocal('mic', false, this.micTrack);
        }
        if (d.kind === 'video') void this.stopSource('camera');
        this.update({ notice: 'A host muted you' });
        break;
      case 'you.removed':
        this.shutdown('removed');
        break;
      case 'meeting.ended':
        this.shutdown('ended');
        break;
      default:
        break;
    }
  }
}

function messageOf(error: unknown): string {
  if (error instanceof SignalError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
