// Drives tests/tools/media_probe (fluxmeet_media_probe): one of the media plane's own WebRTC test
// clients (ICE + DTLS + SRTP; synthetic VP8/Opus, or real VP8/Opus from files makeTestMedia makes
// with the ffmpeg program) in a child process, spoken to in line-delimited JSON (the protocol is
// described at the top of tests/tools/media_probe/main.cpp). Every process started here is
// tracked by PID and only ever signalled by that PID.
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { findSanitizerReport } from './server.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
// A relative FLUXMEET_MEDIA_PROBE is taken from the directory the tests were started in.
export const PROBE_BINARY = process.env.FLUXMEET_MEDIA_PROBE
  ? path.resolve(process.env.FLUXMEET_MEDIA_PROBE)
  : path.join(repoRoot, 'build/test/tests/tools/media_probe/fluxmeet_media_probe');

const COMMAND_TIMEOUT_MS = 5_000;
const EXIT_TIMEOUT_MS = 5_000;
const FFMPEG_TIMEOUT_MS = 60_000;

const run = promisify(execFile);

/**
 * Makes real media with the ffmpeg program into `dir` (which must exist) for the probe's
 * produce({file}): `seconds` of a moving test picture as VP8 the way a WebRTC encoder makes it
 * (30 fps, a keyframe every 30 frames, no hidden alt-ref frames or look-ahead, realtime
 * deadline, about 1 Mbit/s) in an IVF file, and of a 440 Hz tone as 48 kHz stereo Opus in 20 ms
 * packets in an Ogg file. Resolves the absolute paths {video: '.../video.ivf', audio: '.../audio.ogg'}.
 */
export async function makeTestMedia(dir, { seconds = 4, width = 320, height = 240 } = {}) {
  const video = path.resolve(dir, 'video.ivf');
  const audio = path.resolve(dir, 'audio.ogg');
  const ffmpeg = (args) => run('ffmpeg', ['-nostdin', '-v', 'error', '-y', ...args], { timeout: FFMPEG_TIMEOUT_MS });
  // One at a time: the machine's cores are shared with the server under test.
  await ffmpeg([
    '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=30`, '-t', String(seconds),
    '-c:v', 'libvpx', '-pix_fmt', 'yuv420p', '-g', '30', '-keyint_min', '30', '-auto-alt-ref', '0',
    '-lag-in-frames', '0', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '1M', '-f', 'ivf', video,
  ]);
  await ffmpeg([
    '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`,
    '-ac', '2', '-ar', '48000', '-c:a', 'libopus', '-b:a', '64k', '-frame_duration', '20', '-f', 'ogg', audio,
  ]);
  return { video, audio };
}

export class MediaProbe {
  /** Spawns a probe; `name` prefixes its stderr in error messages. */
  static start(name) {
    return new Promise((resolve, reject) => {
      const child = spawn(PROBE_BINARY, [], { stdio: ['pipe', 'pipe', 'pipe'] });
      child.once('error', (error) => reject(new Error(`cannot start ${PROBE_BINARY}: ${error.message}`)));
      child.once('spawn', () => resolve(new MediaProbe(name, child)));
    });
  }

  constructor(name, child) {
    this.name = name;
    this.child = child;
    this.pid = child.pid;
    this.stderr = '';
    this.pending = []; // answers come in command order
    this.events = [];
    this.eventWaiters = [];
    this.exitStatus = null;
    child.stderr.setEncoding('utf8').on('data', (chunk) => (this.stderr += chunk));
    child.stdin.on('error', () => {}); // a probe that died is reported through `exited`
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitStatus = { code, signal };
        for (const { reject } of this.pending.splice(0)) reject(this.failure(`exited (${code ?? signal})`));
        resolve(this.exitStatus);
      });
    });
    readline.createInterface({ input: child.stdout }).on('line', (line) => this.onLine(line));
  }

  failure(what) {
    return new Error(`probe ${this.name} (pid ${this.pid}) ${what}; its stderr:\n${this.stderr}`);
  }

  onLine(line) {
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      this.stderr += `[test] unparsable stdout line: ${line}\n`;
      return;
    }
    if ('event' in message) {
      this.events.push(message);
      this.eventWaiters = this.eventWaiters.filter((check) => !check());
      return;
    }
    this.pending.shift()?.resolve(message);
  }

  /** Sends one command; resolves its answer (ok:false included), rejects after timeoutMs. */
  request(command, { timeoutMs = COMMAND_TIMEOUT_MS } = {}) {
    if (this.exitStatus) return Promise.reject(this.failure('has exited'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(this.failure(`did not answer ${command.cmd} within ${timeoutMs} ms`)), timeoutMs);
      this.pending.push({
        resolve: (answer) => {
          clearTimeout(timer);
          resolve(answer);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.child.stdin.write(`${JSON.stringify(command)}\n`);
    });
  }

  /** Like request, but requires ok:true. */
  async command(command, options) {
    const answer = await this.request(command, options);
    if (answer.ok !== true) throw this.failure(`refused ${JSON.stringify(command).slice(0, 200)}: ${JSON.stringify(answer)}`);
    return answer;
  }

  stats() {
    return this.command({ cmd: 'stats' });
  }

  /**
   * The "produce" command: resolves {rtpParameters, ssrc}. `rtpCapabilities`: the router's, so
   * the packets carry its numbers; `file`: an .ivf (video) or .ogg (audio) from makeTestMedia to
   * send instead of synthetic media (made absolute here).
   */
  produce(kind, { rtpCapabilities, file } = {}) {
    const command = { cmd: 'produce', kind };
    if (rtpCapabilities !== undefined) command.rtpCapabilities = rtpCapabilities;
    if (file !== undefined) command.file = path.resolve(file);
    return this.command(command);
  }

  /** Resolves the first event named `name` (already seen or future); any "failed" event rejects. */
  waitEvent(name, { timeoutMs = COMMAND_TIMEOUT_MS } = {}) {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.events.find((event) => event.event === name || event.event === 'failed');
        if (!found) return false;
        clearTimeout(timer);
        if (found.event === name) resolve(found);
        else reject(this.failure(`failed while waiting for ${name}: ${found.reason}`));
        return true;
      };
      const timer = setTimeout(() => {
        this.eventWaiters = this.eventWaiters.filter((waiter) => waiter !== check);
        reject(this.failure(`sent no ${name} event within ${timeoutMs} ms`));
      }, timeoutMs);
      if (!check()) this.eventWaiters.push(check);
    });
  }

  /**
   * Closes stdin (the probe exits 0 on end of input) and waits; SIGKILL by PID after a timeout.
   * Resolves the exit status; rejects on a sanitizer report in the probe's stderr.
   */
  async stop() {
    if (!this.exitStatus) {
      this.child.stdin.end();
      let timer;
      const timedOut = new Promise((resolve) => (timer = setTimeout(() => resolve(null), EXIT_TIMEOUT_MS)));
      const status = await Promise.race([this.exited, timedOut]).finally(() => clearTimeout(timer));
      if (status === null) {
        this.child.kill('SIGKILL');
        await this.exited;
        throw this.failure(`did not exit within ${EXIT_TIMEOUT_MS} ms of end of input`);
      }
    }
    const report = findSanitizerReport(this.stderr);
    if (report) throw this.failure(`wrote a sanitizer report (${report})`);
    return this.exitStatus;
  }

  /** For after(): ends a probe that is still running, by its PID, without waiting politely. */
  async kill() {
    if (!this.exitStatus) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}
