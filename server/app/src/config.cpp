#include "fluxmeet/app/config.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fluxmeet/common/encoding.hpp"
#include "fluxmeet/media/ice/turn_credentials.hpp"
#include "fluxmeet/push/vapid.hpp"

extern char** environ;

namespace fluxmeet::app {
namespace {

constexpr std::size_t kMinSecretLength = 32;

std::string trim(std::string text) {
  auto notSpace = [](unsigned char c) { return !std::isspace(c); };
  text.erase(text.begin(), std::find_if(text.begin(), text.end(), notSpace));
  text.erase(std::find_if(text.rbegin(), text.rend(), notSpace).base(), text.end());
  return text;
}

std::vector<std::string> splitList(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    item = trim(item);
    if (!item.empty()) items.push_back(item);
  }
  return items;
}

std::optional<std::string> readFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Error configError(std::string message) { return makeError(ErrorCode::InvalidRequest, std::move(message)); }

// "0".."65535", digits only.
std::optional<std::uint16_t> parsePort(const std::string& text) {
  if (text.empty() || text.size() > 5 || !std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); })) {
    return std::nullopt;
  }
  const long value = std::strtol(text.c_str(), nullptr, 10);
  if (value > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

// TURN_URLS and TURN_SECRET come together: URLs without a secret would hand out credentials that
// the TURN server refuses, a secret without URLs relays nothing. The secret is never echoed.
Result<void> validateTurn(const Config& config) {
  if (config.turnUrls.empty() != config.turnSecret.empty()) {
    return configError(
        "TURN_URLS and TURN_SECRET must be given together (TURN_SECRET is coturn's static-auth-secret)");
  }
  for (const std::string& url : config.turnUrls) {
    if (auto valid = media::ice::validateTurnUrl(url); !valid) {
      // A URL with user information may hold a password: do not repeat it.
      const std::string shown = url.find('@') == std::string::npos ? "'" + url + "'" : "(a URL with '@')";
      return configError("TURN_URLS: " + shown + " " + valid.error().message);
    }
  }
  if (!config.turnSecret.empty() && config.turnSecret.size() < media::ice::kMinTurnSecretLength) {
    return configError("TURN_SECRET is too weak: use at least 32 random characters (e.g. openssl rand -hex 32)");
  }
  const int ttl = config.turnCredentialTtlSeconds;
  if (ttl < media::ice::kMinTurnCredentialTtl.count() || ttl > media::ice::kMaxTurnCredentialTtl.count()) {
    return configError("TURN_CREDENTIAL_TTL must be between 60 and 604800 seconds, got " + std::to_string(ttl));
  }
  return {};
}

// The host of PUBLIC_URL ("https://meet.example.com:8443/x" -> "meet.example.com"), or localhost.
std::string publicHost(const std::string& publicUrl) {
  if (publicUrl.empty()) return "localhost";
  std::string_view rest(publicUrl);
  rest.remove_prefix(rest.find("://") + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (auto at = rest.rfind('@'); at != std::string_view::npos) rest.remove_prefix(at + 1);
  if (!rest.empty() && rest.front() == '[') return std::string(rest.substr(0, rest.find(']') + 1));
  rest = rest.substr(0, rest.find(':'));
  return rest.empty() ? "localhost" : std::string(rest);
}

// VAPID keys are optional (generated on first run); when given they must form a pair, and the
// private key is never echoed.
Result<void> validatePush(Config& config) {
  if (config.vapidPrivateKey.empty() && !config.vapidPublicKey.empty()) {
    return configError("VAPID_PUBLIC_KEY needs VAPID_PRIVATE_KEY (or set neither and the server generates a pair)");
  }
  if (!config.vapidPrivateKey.empty()) {
    auto keys = push::VapidKeys::fromBase64Url(config.vapidPrivateKey, config.vapidPublicKey);
    if (!keys) {
      return configError("VAPID_PRIVATE_KEY/VAPID_PUBLIC_KEY: not a P-256 key pair in base64url (" +
                         keys.error().message + ")");
    }
  }
  if (config.vapidSubject.empty()) config.vapidSubject = "mailto:admin@" + publicHost(config.publicUrl);
  if (!push::isValidVapidSubject(config.vapidSubject)) {
    return configError("VAPID_SUBJECT must be a mailto: or https: contact URI, got '" + config.vapidSubject + "'");
  }
  if (!config.pushCaFile.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(config.pushCaFile, ec)) {
      return configError("PUSH_CA_FILE: no such file: " + config.pushCaFile);
    }
  }
  if (config.pushSchedulerIntervalMs < 100 || config.pushSchedulerIntervalMs > 3'600'000) {
    return configError("PUSH_SCHEDULER_INTERVAL_MS must be between 100 and 3600000");
  }
  return {};
}

}  // namespace

Result<Environment> parseEnvFile(const std::string& text) {
  Environment values;
  std::stringstream stream(text);
  std::string line;
  int number = 0;
  while (std::getline(stream, line)) {
    ++number;
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    if (line.rfind("export ", 0) == 0) line = trim(line.substr(7));
    auto eq = line.find('=');
    if (eq == std::string::npos || eq == 0) {
      return configError("env file line " + std::to_string(number) + ": expected KEY=VALUE");
    }
    std::string key = trim(line.substr(0, eq));
    std::string value = trim(line.substr(eq + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    values[key] = value;
  }
  return values;
}

Environment processEnvironment() {
  Environment values;
  for (char** entry = environ; entry && *entry; ++entry) {
    std::string text(*entry);
    auto eq = text.find('=');
    if (eq != std::string::npos) values[text.substr(0, eq)] = text.substr(eq + 1);
  }
  return values;
}

Result<Config> loadConfig(int argc, const char* const* argv, const Environment& environment) {
  Config config;
  // The env file location itself may come from the environment or a flag; the flag wins, as everywhere.
  if (auto it = environment.find("ENV_FILE"); it != environment.end()) config.envFile = it->second;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg(argv[i]);
    if (arg == "--env-file" && i + 1 < argc) config.envFile = argv[i + 1];
    if (arg.rfind("--env-file=", 0) == 0) config.envFile = std::string(arg.substr(11));
  }

  Environment merged;
  if (auto text = readFile(config.envFile)) {
    auto parsed = parseEnvFile(*text);
    if (!parsed) return configError(config.envFile + ": " + parsed.error().message);
    merged = std::move(*parsed);
  }
  for (const auto& [key, value] : environment) merged[key] = value;
  auto env = [&](const char* key) -> std::optional<std::string> {
    auto it = merged.find(key);
    if (it == merged.end()) return std::nullopt;
    return it->second;
  };

  CLI::App cli{"Flux Meet: self-hosted video meetings in one process."};
  cli.set_version_flag("--version", "fluxmeet 0.1.0");
  std::string corsOrigins;
  int port = config.port;
  int mediaPort = config.mediaUdpPort;
  cli.add_flag("--dev", config.dev, "Development mode: generate and keep a JWT secret in the env file (FLUXMEET_DEV)");
  cli.add_option("--env-file", config.envFile, "Optional KEY=VALUE file read before the environment (ENV_FILE)");
  cli.add_option("--listen", config.listenAddress, "Address to listen on (LISTEN_ADDRESS)");
  cli.add_option("--port", port, "HTTP(S) and WebSocket port (PORT)");
  cli.add_option("--database-url", config.databaseUrl, "sqlite://path or sqlite::memory: (DATABASE_URL)");
  cli.add_option("--jwt-secret", config.jwtSecret, "Secret for signing access tokens, >= 32 chars (JWT_SECRET)");
  cli.add_option("--public-url", config.publicUrl, "External URL, used in links and as the trusted origin (PUBLIC_URL)");
  std::string announcedIps;
  int mediaWorkers = 0;
  cli.add_option("--media-announced-ip", announcedIps,
                 "Comma-separated IPs announced in ICE candidates; default every local address (MEDIA_ANNOUNCED_IP)");
  cli.add_option("--media-listen-ip", config.mediaListenIp, "Address the media UDP sockets bind (MEDIA_LISTEN_IP)");
  cli.add_option("--media-udp-port", mediaPort,
                 "UDP port of the first media worker, +1 per worker; 0 = any free port (MEDIA_UDP_PORT)");
  std::string mediaTcpPort;
  cli.add_option("--media-tcp-port", mediaTcpPort,
                 "ICE-TCP port of the first media worker, +1 per worker, for networks that block UDP; "
                 "default the UDP port's number; 0 = any free port; off = no ICE-TCP (MEDIA_TCP_PORT)");
  cli.add_option("--media-workers", mediaWorkers, "Media worker threads; 0 = cores minus one, at least one (MEDIA_WORKERS)");
  int httpThreads = -1;
  cli.add_option("--http-threads", httpThreads,
                 "Threads for HTTP/WebSocket connections (sockets, TLS, parsing); handlers stay on the control "
                 "thread; 0 = everything on the control thread; default 1 with three or more cores, else 0 (HTTP_THREADS)");
  int64_t maxProducerBitrate = static_cast<int64_t>(config.mediaMaxProducerBitrate);
  cli.add_option("--media-max-producer-bitrate", maxProducerBitrate,
                 "Most bits/s one audio/video/screen track may send; larger encodings are refused, and publishers "
                 "are told the cap by REMB; 0 = no cap; default 3000000 (MEDIA_MAX_PRODUCER_BITRATE)");
  std::string mediaUdpGso = "on";
  cli.add_option("--media-udp-gso", mediaUdpGso,
                 "on|off: send runs of equal-sized packets to one receiver as one UDP GSO send (Linux 4.18+; "
                 "falls back to plain sends by itself where the kernel refuses GSO); default on (MEDIA_UDP_GSO)");
  std::string turnUrls;
  cli.add_option("--turn-urls", turnUrls,
                 "Comma-separated turn:/turns: URLs offered to clients behind firewalls (TURN_URLS)");
  cli.add_option("--turn-secret", config.turnSecret,
                 "Shared secret for TURN credentials, coturn's static-auth-secret, >= 32 chars (TURN_SECRET)");
  cli.add_option("--turn-credential-ttl", config.turnCredentialTtlSeconds,
                 "Lifetime of a TURN credential in seconds, 60..604800; default 86400 (TURN_CREDENTIAL_TTL)");
  cli.add_option("--recordings-dir", config.recordingsDir,
                 "Where server recordings go; default <database directory>/recordings (RECORDINGS_DIR)");
  cli.add_option("--recordings-min-free-mb", config.recordingsMinFreeMb,
                 "Refuse to start a recording with less free disk than this, MB; default 1024 (RECORDINGS_MIN_FREE_MB)");
  cli.add_option("--recordings-retention-days", config.recordingsRetentionDays,
                 "Delete recordings older than this many days; 0 keeps them (RECORDINGS_RETENTION_DAYS)");
  cli.add_option("--recording-compose-jobs", config.recordingComposeJobs,
                 "Recordings composed at once, 1..16; default 1 (RECORDING_COMPOSE_JOBS)");
  cli.add_option("--tls-cert", config.tlsCert, "PEM certificate chain for HTTPS/WSS (TLS_CERT)");
  cli.add_option("--tls-key", config.tlsKey, "PEM private key for HTTPS/WSS (TLS_KEY)");
  cli.add_option("--log-level", config.logLevel, "trace|debug|info|warn|error (LOG_LEVEL)");
  cli.add_option("--web-root", config.webRoot, "Directory of the built web client (WEB_ROOT)");
  cli.add_option("--cors-origins", corsOrigins, "Comma-separated origins allowed cross-origin (CORS_ORIGINS)");
  cli.add_option("--smtp-url", config.smtpUrl, "smtp(s)://user:pass@host:port for password-reset mail (SMTP_URL)");
  cli.add_option("--smtp-from", config.smtpFrom, "Sender of outgoing mail (SMTP_FROM)");
  cli.add_option("--login-attempts-per-minute", config.loginAttemptsPerMinute,
                 "Login attempts allowed per IP and per account (LOGIN_ATTEMPTS_PER_MINUTE)");
  cli.add_option("--password-hash-cost", config.passwordHashCost, "interactive|test (PASSWORD_HASH_COST)");
  cli.add_option("--signal-reconnect-grace-ms", config.reconnectGraceMs,
                 "How long a dropped WebSocket keeps its place in a meeting, ms (SIGNAL_RECONNECT_GRACE_MS)");
  cli.add_option("--vapid-public-key", config.vapidPublicKey,
                 "Web Push VAPID public key, base64url; default: generated into <database dir>/vapid.json "
                 "(VAPID_PUBLIC_KEY)");
  cli.add_option("--vapid-private-key", config.vapidPrivateKey,
                 "Web Push VAPID private key, base64url (VAPID_PRIVATE_KEY)");
  cli.add_option("--vapid-subject", config.vapidSubject,
                 "Contact for push services, mailto: or https:; "
                 "default mailto:admin@<PUBLIC_URL host> (VAPID_SUBJECT)");
  cli.add_flag("--push-allow-http", config.pushAllowHttp,
               "TESTS ONLY: accept plain-http push endpoints (PUSH_ALLOW_HTTP=1)");
  cli.add_option("--push-ca-file", config.pushCaFile,
                 "PEM certificate(s) to trust for push services besides the system's CAs, e.g. a private "
                 "push service's CA (PUSH_CA_FILE)");
  cli.add_option("--push-scheduler-interval-ms", config.pushSchedulerIntervalMs,
                 "How often due meeting reminders are looked for, ms; default 30000 (PUSH_SCHEDULER_INTERVAL_MS)");

  // Environment values are defaults that flags override.
  struct Binding {
    const char* key;
    const char* flag;
  };
  const Binding bindings[] = {
      {"FLUXMEET_DEV", "--dev"},           {"LISTEN_ADDRESS", "--listen"},
      {"PORT", "--port"},                  {"DATABASE_URL", "--database-url"},
      {"JWT_SECRET", "--jwt-secret"},      {"PUBLIC_URL", "--public-url"},
      {"MEDIA_ANNOUNCED_IP", "--media-announced-ip"}, {"MEDIA_UDP_PORT", "--media-udp-port"},
      {"MEDIA_LISTEN_IP", "--media-listen-ip"},       {"MEDIA_WORKERS", "--media-workers"},
      {"MEDIA_TCP_PORT", "--media-tcp-port"},  {"HTTP_THREADS", "--http-threads"},
      {"MEDIA_MAX_PRODUCER_BITRATE", "--media-max-producer-bitrate"},
      {"MEDIA_UDP_GSO", "--media-udp-gso"},
      {"TURN_URLS", "--turn-urls"},        {"TURN_SECRET", "--turn-secret"},
      {"TURN_CREDENTIAL_TTL", "--turn-credential-ttl"},
      {"RECORDINGS_DIR", "--recordings-dir"},
      {"RECORDINGS_MIN_FREE_MB", "--recordings-min-free-mb"},
      {"RECORDINGS_RETENTION_DAYS", "--recordings-retention-days"},
      {"RECORDING_COMPOSE_JOBS", "--recording-compose-jobs"},
      {"TLS_CERT", "--tls-cert"},          {"TLS_KEY", "--tls-key"},
      {"LOG_LEVEL", "--log-level"},        {"WEB_ROOT", "--web-root"},
      {"CORS_ORIGINS", "--cors-origins"},  {"SMTP_URL", "--smtp-url"},
      {"SMTP_FROM", "--smtp-from"},        {"LOGIN_ATTEMPTS_PER_MINUTE", "--login-attempts-per-minute"},
      {"PASSWORD_HASH_COST", "--password-hash-cost"},
      {"SIGNAL_RECONNECT_GRACE_MS", "--signal-reconnect-grace-ms"},
      {"VAPID_PUBLIC_KEY", "--vapid-public-key"}, {"VAPID_PRIVATE_KEY", "--vapid-private-key"},
      {"VAPID_SUBJECT", "--vapid-subject"},       {"PUSH_ALLOW_HTTP", "--push-allow-http"},
      {"PUSH_SCHEDULER_INTERVAL_MS", "--push-scheduler-interval-ms"},
      {"PUSH_CA_FILE", "--push-ca-file"},
  };
  std::vector<std::string> args;
  for (const Binding& binding : bindings) {
    auto value = env(binding.key);
    if (!value) continue;
    if (std::string_view(binding.flag) == "--dev" || std::string_view(binding.flag) == "--push-allow-http") {
      if (*value == "1" || *value == "true") args.push_back(binding.flag);
      continue;
    }
    args.push_back(binding.flag);
    args.push_back(*value);
  }
  for (int i = 1; i < argc; ++i) args.push_back(argv[i]);  // later occurrences win in CLI11
  for (auto* option : cli.get_options()) option->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);

  try {
    std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 parses a reversed vector
    cli.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    return configError("help:" + cli.help());
  } catch (const CLI::CallForVersion&) {
    return configError("help:fluxmeet 0.1.0");
  } catch (const CLI::ParseError& error) {
    return configError(error.what());
  }

  // Checked after parsing, so that a flag can override a bad value from .env or the environment.
  if (port < 0 || port > 65535) return configError("PORT must be between 0 and 65535, got " + std::to_string(port));
  if (mediaPort < 0 || mediaPort > 65535) {
    return configError("MEDIA_UDP_PORT must be between 0 and 65535, got " + std::to_string(mediaPort));
  }
  if (mediaWorkers < 0 || mediaWorkers > 64) return configError("MEDIA_WORKERS must be between 0 and 64");
  config.mediaWorkers = static_cast<unsigned>(mediaWorkers);
  if (httpThreads < -1 || httpThreads > 64) return configError("HTTP_THREADS must be between 0 and 64");
  if (httpThreads >= 0) config.httpThreads = static_cast<unsigned>(httpThreads);
  if (maxProducerBitrate != 0 && (maxProducerBitrate < 50'000 || maxProducerBitrate > 100'000'000)) {
    return configError("MEDIA_MAX_PRODUCER_BITRATE must be 0 (no cap) or between 50000 and 100000000 bit/s, got " +
                       std::to_string(maxProducerBitrate));
  }
  config.mediaMaxProducerBitrate = static_cast<std::uint64_t>(maxProducerBitrate);
  if (mediaUdpGso != "on" && mediaUdpGso != "off") {
    return configError("MEDIA_UDP_GSO must be on or off, got '" + mediaUdpGso + "'");
  }
  config.mediaUdpGso = mediaUdpGso == "on";
  config.mediaAnnouncedIps = splitList(announcedIps);
  config.turnUrls = splitList(turnUrls);
  if (auto turn = validateTurn(config); !turn) return turn.error();
  const std::vector<std::string> levels{"trace", "debug", "info", "warn", "error"};
  if (std::find(levels.begin(), levels.end(), config.logLevel) == levels.end()) {
    return configError("LOG_LEVEL must be one of trace, debug, info, warn, error, got '" + config.logLevel + "'");
  }
  if (config.loginAttemptsPerMinute < 1 || config.loginAttemptsPerMinute > 100000000) {
    return configError("LOGIN_ATTEMPTS_PER_MINUTE must be at least 1");
  }
  if (config.passwordHashCost != "interactive" && config.passwordHashCost != "test") {
    return configError("PASSWORD_HASH_COST must be interactive or test, got '" + config.passwordHashCost + "'");
  }
  if (config.reconnectGraceMs < 100 || config.reconnectGraceMs > 600000) {
    return configError("SIGNAL_RECONNECT_GRACE_MS must be between 100 and 600000");
  }
  if (config.recordingsMinFreeMb < 0 || config.recordingsMinFreeMb > 100'000'000) {
    return configError("RECORDINGS_MIN_FREE_MB must be between 0 and 100000000");
  }
  if (config.recordingsRetentionDays < 0 || config.recordingsRetentionDays > 36500) {
    return configError("RECORDINGS_RETENTION_DAYS must be between 0 (keep) and 36500");
  }
  if (config.recordingComposeJobs < 1 || config.recordingComposeJobs > 16) {
    return configError("RECORDING_COMPOSE_JOBS must be between 1 and 16");
  }
  config.port = static_cast<std::uint16_t>(port);
  config.mediaUdpPort = static_cast<std::uint16_t>(mediaPort);
  if (mediaTcpPort.empty()) {
    config.mediaTcpPort = config.mediaUdpPort;
  } else if (mediaTcpPort == "off") {
    config.mediaTcpPort.reset();
  } else {
    const auto tcpPort = parsePort(mediaTcpPort);
    if (!tcpPort) return configError("MEDIA_TCP_PORT must be a port between 0 and 65535 or off, got '" + mediaTcpPort + "'");
    config.mediaTcpPort = *tcpPort;
  }
  config.corsOrigins = splitList(corsOrigins);
  if (config.tlsCert.empty() != config.tlsKey.empty()) {
    return configError("TLS_CERT and TLS_KEY must be given together");
  }
  if (!config.publicUrl.empty() && config.publicUrl.rfind("http://", 0) != 0 &&
      config.publicUrl.rfind("https://", 0) != 0) {
    return configError("PUBLIC_URL must start with http:// or https://");
  }
  while (!config.publicUrl.empty() && config.publicUrl.back() == '/') config.publicUrl.pop_back();
  if (auto push = validatePush(config); !push) return push.error();
  if (config.databaseUrl.rfind("sqlite:", 0) != 0) {
    return configError("DATABASE_URL must be sqlite://<path> or sqlite::memory: (PostgreSQL is not built in yet)");
  }
  if (!config.jwtSecret.empty() && config.jwtSecret.size() < kMinSecretLength) {
    return configError("JWT_SECRET is too weak: use at least 32 random characters (e.g. openssl rand -base64 48)");
  }
  return config;
}

Result<void> ensureJwtSecret(Config& config) {
  if (!config.jwtSecret.empty()) return {};
  if (!config.dev) {
    return configError("JWT_SECRET is not set: set it to at least 32 random characters, or run with --dev");
  }
  config.jwtSecret = randomToken(48);
  config.generatedJwtSecret = true;
  // A hand-edited file may lack its final newline: without one the comment would join the last value.
  auto existing = readFile(config.envFile);
  bool needsNewline = existing && !existing->empty() && existing->back() != '\n';
  std::ofstream out(config.envFile, std::ios::app);
  if (!out) return configError("cannot write the generated JWT secret to " + config.envFile);
  if (needsNewline) out << "\n";
  out << "# generated by fluxmeet --dev on first run\nJWT_SECRET=" << config.jwtSecret << "\n";
  return {};
}

}  // namespace fluxmeet::app
