#pragma once
// Configuration: defaults < .env file < environment < command-line flags.
// A bad value is one clear line and exit code 2 (see main.cpp).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fluxmeet/common/result.hpp"

namespace fluxmeet::app {

struct Config {
  bool dev = false;  // development: generates and persists a JWT secret, logs reset links
  std::string envFile = ".env";
  std::string listenAddress = "0.0.0.0";
  std::uint16_t port = 6001;
  std::string databaseUrl = "sqlite://./data/fluxmeet.db";
  std::string jwtSecret;
  std::string publicUrl;  // "https://meet.example.com"; used in links and as the trusted origin
  std::vector<std::string> mediaAnnouncedIps;  // empty: every local address
  std::string mediaListenIp = "0.0.0.0";
  std::uint16_t mediaUdpPort = 40000;           // worker i uses +i; 0 = any free port (tests)
  std::optional<std::uint16_t> mediaTcpPort = 40000;  // ICE-TCP, worker i uses +i; 0 = any; nullopt = off
  unsigned mediaWorkers = 0;                    // 0 = one per core minus one, at least one
  std::optional<unsigned> httpThreads;          // HTTP connection threads; nullopt = 1 on 3+ cores, else 0
  std::uint64_t mediaMaxProducerBitrate = 3'000'000;  // bits/s one producer may send; 0 = no cap
  bool mediaUdpGso = true;                      // UDP GSO on media sends where the kernel has it
  std::vector<std::string> turnUrls;            // turn:/turns: URLs offered to clients; empty: no TURN
  std::string turnSecret;                       // coturn's static-auth-secret; never logged
  int turnCredentialTtlSeconds = 86400;         // lifetime of each TURN credential handed out
  std::string recordingsDir;            // empty: <directory of the SQLite file>/recordings
  int recordingsMinFreeMb = 1024;       // recording.start refuses below this much free disk
  int recordingsRetentionDays = 0;      // recordings older than this are deleted; 0 keeps them
  int recordingComposeJobs = 1;         // compositions running at once
  std::string tlsCert;
  std::string tlsKey;
  std::string logLevel = "info";
  std::string webRoot = "web/dist";
  std::vector<std::string> corsOrigins;
  std::string smtpUrl;   // smtp://user:pass@host:587 ; empty: reset links go to the log (dev only)
  std::string smtpFrom = "Flux Meet <no-reply@localhost>";
  int loginAttemptsPerMinute = 10;
  std::string passwordHashCost = "interactive";
  int reconnectGraceMs = 30000;  // how long a dropped signaling connection keeps its seat
  // Web Push (issue 9). Both keys empty: generated once and kept in <data dir>/vapid.json.
  std::string vapidPublicKey;   // base64url 65-byte point; optional with the private key
  std::string vapidPrivateKey;  // base64url 32-byte scalar; never logged
  std::string vapidSubject;     // mailto:/https: contact; default mailto:admin@<PUBLIC_URL host>
  bool pushAllowHttp = false;   // tests only: push services on plain http
  std::string pushCaFile;       // PEM certificates push services may present, besides the system's CAs
  int pushSchedulerIntervalMs = 30000;  // how often due meeting reminders are looked for
  bool generatedJwtSecret = false;  // set when dev mode created one this run
};

using Environment = std::map<std::string, std::string>;

// Parses "KEY=VALUE" lines; '#' comments, blank lines and optional quotes allowed.
Result<Environment> parseEnvFile(const std::string& text);
Environment processEnvironment();

// Builds the configuration. On "--help" returns Error with code InvalidRequest and message
// starting with "help:" followed by the help text (main prints it and exits 0).
Result<Config> loadConfig(int argc, const char* const* argv, const Environment& environment);

// In dev mode a missing JWT secret is generated and appended to the env file; elsewhere absent or
// weak secrets are refused.
Result<void> ensureJwtSecret(Config& config);

}  // namespace fluxmeet::app
