// fluxmeet_media_probe: one media::client::MediaClient (our own minimal WebRTC endpoint: ICE
// controlling agent, DTLS client, SRTP) as a separate process, so an integration test that talks
// signaling over WebSockets can also put real media through the server's media plane. Test-only.
//
// Protocol: one JSON object per line on stdin, one JSON object per line on stdout; logs go to
// stderr. Every command gets exactly one answer, in order: {"ok": true, ...} or
// {"ok": false, "error": "...", "field"?: "..."}. Unsolicited lines are events ({"event": ...}).
//
//   {"cmd":"connect","transport":<createTransport answer data>,"protocol"?:"udp"|"tcp"}
//       Starts ICE (to the udp candidate on 127.0.0.1; with "tcp", over ICE-TCP to the passive
//       tcp candidate on 127.0.0.1, RFC 6544) and then DTLS as the client. Answers at
//       once with {"ok":true,"dtlsParameters":{"role":"client","fingerprints":[{"algorithm":
//       "sha-256","value":"AB:.."}]}} for connectTransport; the handshake needs the server to
//       know that fingerprint, so call connectTransport without waiting. Later one event:
//       {"event":"connected"} or {"event":"failed","reason":"..."} (also when the server closes
//       DTLS afterwards).
//   {"cmd":"produce","kind":"video"|"audio","rtpCapabilities"?:<router capabilities>,
//    "file"?:"<absolute path>"}
//       Answers {"ok":true,"rtpParameters":{...},"ssrc":N}: mediasoup-client style parameters for
//       the "produce" request (mid "0", "1", ... in call order; payload types and extension ids
//       the router's when rtpCapabilities is given, else Chrome's). While connected it sends
//       synthetic VP8 (one encoding, 30 fps, a keyframe first and on every PLI/FIR) or Opus
//       (50 packets/s). One producer per kind.
//       With "file" it sends real media made by ffmpeg instead, so what the server forwards or
//       records decodes: for video an IVF file of VP8 that starts with a keyframe (frames at the
//       file's pace, RFC 7741 with a 15-bit picture ID), for audio an Ogg Opus file (one packet
//       per RTP packet, 20 ms each for the files the tests make). The file loops, sequence
//       numbers, timestamps and picture IDs running on. A PLI/FIR is counted in keyframeRequests
//       but cannot make a keyframe: the file's next one answers it. A file that cannot be read
//       or parsed is refused with field "file".
//   {"cmd":"expect","consumer":<consume answer data>}
//       Registers the consumer's SSRC (and RTX SSRC) so stats name it and count VP8 keyframes on
//       it. Send it before resumeConsumer, or the first keyframe may arrive unrecognised.
//       Answers {"ok":true,"ssrc":N,"rtxSsrc"?:N}.
//   {"cmd":"stats"}
//       {"ok":true,"state":"new|connecting|connected|failed","rtpSent","rtcpSent","rtpReceived",
//        "rtcpReceived","bytesReceived","srtpFailures","keyframeRequests","keyframesSent",
//        "keyframesReceived","unexpectedRtp","bySsrc":{"<ssrc>":{"packets","bytes","keyframes",
//        "consumerId"?,"kind"?,"rtx"?}}} - RTP on SSRCs no "expect" named is counted too.
//   {"cmd":"quit"} or end of stdin
//       Answers {"ok":true} (quit only), sends DTLS close_notify and exits 0.
//
// Exit status: 0 after quit/EOF, 1 when the client cannot be set up or stdout is gone.
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "media_probe.hpp"

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// The longest the loop sleeps: ICE checks (every 50 ms) and DTLS retransmissions run in tick().
constexpr auto kMaxWait = 10ms;
// A command line longer than this is refused (a createTransport answer is ~1 KiB, router
// capabilities ~3 KiB).
constexpr size_t kMaxLine = 256 * 1024;

bool writeLine(const json& message) {
  const std::string line = message.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  return std::fwrite(line.data(), 1, line.size(), stdout) == line.size() && std::fflush(stdout) == 0;
}

json errorAnswer(const fluxmeet::Error& error) {
  json answer{{"ok", false}, {"error", error.message}};
  if (!error.field.empty()) answer["field"] = error.field;
  return answer;
}

// One input line: its answer. Sets `quit` for {"cmd":"quit"}.
json answer(fluxmeet::tools::MediaProbe& probe, const std::string& line, bool& quit) {
  const json command = json::parse(line, nullptr, false);
  if (command.is_discarded()) return errorAnswer({fluxmeet::ErrorCode::InvalidRequest, "not JSON", ""});
  if (command.is_object() && command.value("cmd", json()) == "quit") {
    quit = true;
    return json{{"ok", true}};
  }
  auto result = probe.handle(command);
  if (!result) return errorAnswer(result.error());
  json data = std::move(*result);
  data["ok"] = true;
  return data;
}

}  // namespace

int main() {
  // A test that dies closes our stdout: fail the write instead of dying on SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  bool stdoutBroken = false;
  auto probe = fluxmeet::tools::MediaProbe::create([&](const json& event) {
    if (!writeLine(event)) stdoutBroken = true;
  });
  if (!probe) {
    std::fprintf(stderr, "[probe] cannot set up the media client: %s\n", probe.error().message.c_str());
    return 1;
  }
  ::fcntl(STDIN_FILENO, F_SETFL, ::fcntl(STDIN_FILENO, F_GETFL) | O_NONBLOCK);

  std::string pending;
  std::array<char, 16 * 1024> buffer{};
  bool quit = false;
  bool inputEnded = false;
  bool skipping = false;  // the rest of a line that was too long
  while (!quit && !inputEnded && !stdoutBroken) {
    auto wait = kMaxWait;
    if (const auto next = (*probe)->nextSendAt()) {
      wait = std::clamp(std::chrono::ceil<std::chrono::milliseconds>(*next - Clock::now()), 0ms, kMaxWait);
    }
    std::array<pollfd, 2> descriptors{{{.fd = STDIN_FILENO, .events = POLLIN, .revents = 0},
                                       {.fd = (*probe)->fd(), .events = POLLIN, .revents = 0}}};
    ::poll(descriptors.data(), descriptors.size(), static_cast<int>(wait.count()));

    if (descriptors[0].revents != 0) {
      const ssize_t count = ::read(STDIN_FILENO, buffer.data(), buffer.size());
      if (count == 0 || (count < 0 && errno != EAGAIN && errno != EINTR)) {
        inputEnded = true;
      } else if (count > 0) {
        pending.append(buffer.data(), static_cast<size_t>(count));
      }
    }
    for (size_t end; !quit && (end = pending.find('\n')) != std::string::npos;) {
      const std::string line = pending.substr(0, end);
      pending.erase(0, end + 1);
      if (std::exchange(skipping, false) || line.find_first_not_of(" \t\r") == std::string::npos) continue;
      if (!writeLine(answer(**probe, line, quit))) stdoutBroken = true;
    }
    if (pending.size() > kMaxLine) {
      pending.clear();
      skipping = true;
      if (!writeLine(errorAnswer({fluxmeet::ErrorCode::PayloadTooLarge, "line too long", ""}))) stdoutBroken = true;
    }
    (*probe)->tick(Clock::now());
  }
  std::fprintf(stderr, "[probe] exiting (%s)\n", quit ? "quit" : inputEnded ? "end of input" : "stdout closed");
  return stdoutBroken ? 1 : 0;
}
