#include "fluxmeet/app/config.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace fluxmeet::app {
namespace {

namespace fs = std::filesystem;

const std::string kSecret = "0123456789abcdef0123456789abcdef0123";  // 36 characters

TEST(ParseEnvFileTest, CommentsBlankLinesQuotesAndExport) {
  auto parsed = parseEnvFile(
      "# Flux Meet settings\n"
      "\n"
      "   \n"
      "PORT=7000\n"
      "  LOG_LEVEL = debug  \n"
      "PUBLIC_URL=\"https://meet.example.com\"\n"
      "SMTP_FROM='Flux <a@b.c>'\n"
      "export WEB_ROOT=/srv/web\n"
      "DATABASE_URL=sqlite://./x.db?mode=rwc\n"
      "EMPTY=\n"
      "QUOTED_EMPTY=\"\"\n"
      "MISMATCHED=\"abc'\n"
      "   # indented comment\n"
      "HASH=a#b\r\n");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  const Environment expected = {
      {"PORT", "7000"},
      {"LOG_LEVEL", "debug"},
      {"PUBLIC_URL", "https://meet.example.com"},
      {"SMTP_FROM", "Flux <a@b.c>"},
      {"WEB_ROOT", "/srv/web"},
      {"DATABASE_URL", "sqlite://./x.db?mode=rwc"},
      {"EMPTY", ""},
      {"QUOTED_EMPTY", ""},
      {"MISMATCHED", "\"abc'"},
      {"HASH", "a#b"},
  };
  EXPECT_EQ(*parsed, expected);
}

TEST(ParseEnvFileTest, LaterLinesWin) {
  auto parsed = parseEnvFile("PORT=1\nPORT=2\n");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->at("PORT"), "2");
}

TEST(ParseEnvFileTest, MalformedLineIsNumbered) {
  auto parsed = parseEnvFile("# comment\nPORT=7000\n\nthis is not a setting\nLOG_LEVEL=info\n");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, ErrorCode::InvalidRequest);
  EXPECT_EQ(parsed.error().message, "env file line 4: expected KEY=VALUE");

  auto noKey = parseEnvFile("=value\n");
  ASSERT_FALSE(noKey.ok());
  EXPECT_EQ(noKey.error().message, "env file line 1: expected KEY=VALUE");
}

TEST(ParseEnvFileTest, Empty) {
  auto parsed = parseEnvFile("");
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->empty());
}

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("fluxmeet-config-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    envFile_ = (dir_ / "fluxmeet.env").string();
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  void writeEnvFile(const std::string& text) {
    std::ofstream out(envFile_, std::ios::binary | std::ios::trunc);
    out << text;
  }
  std::string readEnvFile() const {
    std::ifstream in(envFile_, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  // Always names the env file so a stray ./.env in the working directory cannot leak in.
  Result<Config> load(std::vector<std::string> flags = {}, const Environment& environment = {}) {
    std::vector<std::string> args = {"fluxmeet", "--env-file", envFile_};
    args.insert(args.end(), flags.begin(), flags.end());
    std::vector<const char*> argv;
    for (const auto& arg : args) argv.push_back(arg.c_str());
    argv.push_back(nullptr);
    return loadConfig(static_cast<int>(args.size()), argv.data(), environment);
  }
  std::string loadError(std::vector<std::string> flags, const Environment& environment = {}) {
    auto config = load(std::move(flags), environment);
    EXPECT_FALSE(config.ok());
    if (config.ok()) return {};
    EXPECT_EQ(config.error().code, ErrorCode::InvalidRequest);
    return config.error().message;
  }

  fs::path dir_;
  std::string envFile_;
};

TEST_F(ConfigTest, Defaults) {
  auto config = load();
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_FALSE(config->dev);
  EXPECT_EQ(config->envFile, envFile_);
  EXPECT_EQ(config->listenAddress, "0.0.0.0");
  EXPECT_EQ(config->port, 6001);
  EXPECT_EQ(config->databaseUrl, "sqlite://./data/fluxmeet.db");
  EXPECT_EQ(config->jwtSecret, "");
  EXPECT_EQ(config->mediaUdpPort, 40000);
  EXPECT_EQ(config->logLevel, "info");
  EXPECT_EQ(config->webRoot, "web/dist");
  EXPECT_TRUE(config->corsOrigins.empty());
  EXPECT_EQ(config->loginAttemptsPerMinute, 10);
  EXPECT_EQ(config->passwordHashCost, "interactive");
}

TEST_F(ConfigTest, Precedence) {
  writeEnvFile("PORT=7000\nLOG_LEVEL=debug\nWEB_ROOT=/from/file\nSMTP_FROM=file@example.com\n");

  auto fileOnly = load();
  ASSERT_TRUE(fileOnly.ok()) << fileOnly.error().message;
  EXPECT_EQ(fileOnly->port, 7000);
  EXPECT_EQ(fileOnly->logLevel, "debug");
  EXPECT_EQ(fileOnly->webRoot, "/from/file");
  EXPECT_EQ(fileOnly->listenAddress, "0.0.0.0");  // default where nothing is set

  const Environment environment = {{"PORT", "7100"}, {"LOG_LEVEL", "warn"}, {"UNRELATED", "x"}};
  auto withEnvironment = load({}, environment);
  ASSERT_TRUE(withEnvironment.ok()) << withEnvironment.error().message;
  EXPECT_EQ(withEnvironment->port, 7100);
  EXPECT_EQ(withEnvironment->logLevel, "warn");
  EXPECT_EQ(withEnvironment->webRoot, "/from/file");

  auto withFlags = load({"--port", "7200", "--smtp-from", "flag@example.com"}, environment);
  ASSERT_TRUE(withFlags.ok()) << withFlags.error().message;
  EXPECT_EQ(withFlags->port, 7200);
  EXPECT_EQ(withFlags->logLevel, "warn");
  EXPECT_EQ(withFlags->webRoot, "/from/file");
  EXPECT_EQ(withFlags->smtpFrom, "flag@example.com");

  // The last occurrence of a repeated flag wins.
  auto repeated = load({"--port", "7300", "--port=7400"}, environment);
  ASSERT_TRUE(repeated.ok()) << repeated.error().message;
  EXPECT_EQ(repeated->port, 7400);
}

TEST_F(ConfigTest, EnvFileFromEnvironmentButFlagWins) {
  const std::string other = (dir_ / "other.env").string();
  {
    std::ofstream out(other);
    out << "PORT=8100\n";
  }
  writeEnvFile("PORT=8000\n");

  std::vector<const char*> argv = {"fluxmeet", nullptr};
  auto fromEnvironment = loadConfig(1, argv.data(), {{"ENV_FILE", other}});
  ASSERT_TRUE(fromEnvironment.ok()) << fromEnvironment.error().message;
  EXPECT_EQ(fromEnvironment->envFile, other);
  EXPECT_EQ(fromEnvironment->port, 8100);

  // Flags override the environment, the env file's own location included.
  auto flagWins = load({}, {{"ENV_FILE", other}});
  ASSERT_TRUE(flagWins.ok()) << flagWins.error().message;
  EXPECT_EQ(flagWins->envFile, envFile_);
  EXPECT_EQ(flagWins->port, 8000);
}

TEST_F(ConfigTest, AllSettingsFromEnvironment) {
  const Environment environment = {
      {"FLUXMEET_DEV", "true"},
      {"LISTEN_ADDRESS", "127.0.0.1"},
      {"DATABASE_URL", "sqlite::memory:"},
      {"JWT_SECRET", kSecret},
      {"PUBLIC_URL", "https://meet.example.com//"},
      {"MEDIA_ANNOUNCED_IP", "203.0.113.7"},
      {"MEDIA_UDP_PORT", "50000"},
      {"CORS_ORIGINS", " https://a.example , ,https://b.example"},
      {"SMTP_URL", "smtp://user:pass@mail:587"},
      {"LOGIN_ATTEMPTS_PER_MINUTE", "5"},
      {"PASSWORD_HASH_COST", "test"},
  };
  auto config = load({}, environment);
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_TRUE(config->dev);
  EXPECT_EQ(config->listenAddress, "127.0.0.1");
  EXPECT_EQ(config->databaseUrl, "sqlite::memory:");
  EXPECT_EQ(config->jwtSecret, kSecret);
  EXPECT_EQ(config->publicUrl, "https://meet.example.com");  // trailing slashes dropped
  EXPECT_EQ(config->mediaAnnouncedIps, std::vector<std::string>{"203.0.113.7"});
  EXPECT_EQ(config->mediaUdpPort, 50000);
  EXPECT_EQ(config->corsOrigins, (std::vector<std::string>{"https://a.example", "https://b.example"}));
  EXPECT_EQ(config->smtpUrl, "smtp://user:pass@mail:587");
  EXPECT_EQ(config->loginAttemptsPerMinute, 5);
  EXPECT_EQ(config->passwordHashCost, "test");
}

TEST_F(ConfigTest, DevFlagSpellings) {
  EXPECT_TRUE(load({}, {{"FLUXMEET_DEV", "1"}})->dev);
  EXPECT_TRUE(load({}, {{"FLUXMEET_DEV", "true"}})->dev);
  EXPECT_FALSE(load({}, {{"FLUXMEET_DEV", "0"}})->dev);
  EXPECT_FALSE(load({}, {{"FLUXMEET_DEV", "false"}})->dev);
  EXPECT_TRUE(load({"--dev"})->dev);
}

TEST_F(ConfigTest, ValuesThatLookLikeFlags) {
  // A secret may start with '-' (base64url); it must still be taken as the value.
  const std::string dashSecret = "-x" + kSecret;
  auto fromEnvironment = load({}, {{"JWT_SECRET", dashSecret}});
  ASSERT_TRUE(fromEnvironment.ok()) << fromEnvironment.error().message;
  EXPECT_EQ(fromEnvironment->jwtSecret, dashSecret);

  writeEnvFile("JWT_SECRET=" + dashSecret + "\n");
  auto fromFile = load();
  ASSERT_TRUE(fromFile.ok()) << fromFile.error().message;
  EXPECT_EQ(fromFile->jwtSecret, dashSecret);
}

TEST_F(ConfigTest, EmptyEnvironmentValueMeansDefault) {
  auto config = load({}, {{"PUBLIC_URL", ""}, {"SMTP_URL", ""}});
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->publicUrl, "");
  EXPECT_EQ(config->smtpUrl, "");
}

TEST_F(ConfigTest, WeakJwtSecretRefused) {
  auto message = loadError({"--jwt-secret", "short"});
  EXPECT_NE(message.find("JWT_SECRET is too weak"), std::string::npos) << message;
  EXPECT_NE(loadError({}, {{"JWT_SECRET", std::string(31, 'x')}}).find("JWT_SECRET"), std::string::npos);
  EXPECT_TRUE(load({}, {{"JWT_SECRET", std::string(32, 'x')}}).ok());
}

TEST_F(ConfigTest, PortOutOfRangeRefused) {
  EXPECT_FALSE(loadError({"--port", "65536"}).empty());
  EXPECT_FALSE(loadError({"--port", "-1"}).empty());
  EXPECT_FALSE(loadError({}, {{"PORT", "70000"}}).empty());
  EXPECT_FALSE(loadError({}, {{"PORT", "http"}}).empty());
  EXPECT_FALSE(loadError({"--media-udp-port", "-1"}).empty());
  EXPECT_FALSE(loadError({"--media-udp-port", "65536"}).empty());
  EXPECT_EQ(load({"--media-udp-port", "0"})->mediaUdpPort, 0);  // any free port (tests)
  // ICE-TCP follows the UDP port unless set; "off" disables it.
  EXPECT_EQ(load({})->mediaTcpPort, std::optional<std::uint16_t>(40000));
  EXPECT_EQ(load({"--media-udp-port", "0"})->mediaTcpPort, std::optional<std::uint16_t>(0));
  EXPECT_EQ(load({"--media-udp-port", "50000", "--media-tcp-port", "443"})->mediaTcpPort,
            std::optional<std::uint16_t>(443));
  EXPECT_EQ(load({"--media-tcp-port", "off"})->mediaTcpPort, std::nullopt);
  EXPECT_FALSE(loadError({"--media-tcp-port", "65536"}).empty());
  EXPECT_FALSE(loadError({"--media-tcp-port", "-1"}).empty());
  EXPECT_FALSE(loadError({"--media-tcp-port", "4x"}).empty());
  EXPECT_FALSE(loadError({"--media-workers", "65"}).empty());
  // Per-producer bitrate cap: 3 Mbit/s by default, 0 = none, otherwise 50 kbit/s .. 100 Mbit/s.
  EXPECT_EQ(load({})->mediaMaxProducerBitrate, 3'000'000u);
  EXPECT_EQ(load({}, {{"MEDIA_MAX_PRODUCER_BITRATE", "0"}})->mediaMaxProducerBitrate, 0u);
  EXPECT_EQ(load({"--media-max-producer-bitrate", "8000000"})->mediaMaxProducerBitrate, 8'000'000u);
  EXPECT_NE(loadError({"--media-max-producer-bitrate", "1000"}).find("MEDIA_MAX_PRODUCER_BITRATE"), std::string::npos);
  EXPECT_FALSE(loadError({"--media-max-producer-bitrate", "-5"}).empty());
  EXPECT_FALSE(loadError({"--media-max-producer-bitrate", "200000000"}).empty());
  // UDP GSO on media sends: on unless turned off; nothing but on/off is taken.
  EXPECT_TRUE(load({})->mediaUdpGso);
  EXPECT_FALSE(load({}, {{"MEDIA_UDP_GSO", "off"}})->mediaUdpGso);
  EXPECT_TRUE(load({"--media-udp-gso", "on"}, {{"MEDIA_UDP_GSO", "off"}})->mediaUdpGso);
  EXPECT_NE(loadError({"--media-udp-gso", "yes"}).find("MEDIA_UDP_GSO"), std::string::npos);
  // HTTP connection threads: unset means "decide from the core count"; 0 keeps all on the control thread.
  EXPECT_EQ(load({})->httpThreads, std::nullopt);
  EXPECT_EQ(load({"--http-threads", "0"})->httpThreads, std::optional<unsigned>(0));
  EXPECT_EQ(load({}, {{"HTTP_THREADS", "3"}})->httpThreads, std::optional<unsigned>(3));
  EXPECT_FALSE(loadError({"--http-threads", "65"}).empty());
  EXPECT_FALSE(loadError({"--http-threads", "-2"}).empty());
  EXPECT_EQ(load({"--port", "65535"})->port, 65535);
  EXPECT_EQ(load({"--port", "0"})->port, 0);  // 0: any free port (tests)
}

TEST_F(ConfigTest, LogLevelChecked) {
  auto message = loadError({"--log-level", "verbose"});
  EXPECT_NE(message.find("verbose"), std::string::npos) << message;  // the refused value is quoted back
  EXPECT_FALSE(loadError({}, {{"LOG_LEVEL", "loud"}}).empty());
  for (const char* level : {"trace", "debug", "info", "warn", "error"}) {
    auto config = load({"--log-level", level});
    ASSERT_TRUE(config.ok()) << level;
    EXPECT_EQ(config->logLevel, level);
  }
}

TEST_F(ConfigTest, TlsCertAndKeyTogether) {
  EXPECT_EQ(loadError({"--tls-cert", "/etc/cert.pem"}), "TLS_CERT and TLS_KEY must be given together");
  EXPECT_EQ(loadError({}, {{"TLS_KEY", "/etc/key.pem"}}), "TLS_CERT and TLS_KEY must be given together");
  auto both = load({"--tls-cert", "/etc/cert.pem", "--tls-key", "/etc/key.pem"});
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(both->tlsCert, "/etc/cert.pem");
  EXPECT_EQ(both->tlsKey, "/etc/key.pem");
}

TEST_F(ConfigTest, TurnFromEnvironment) {
  const std::string turnSecret(40, 't');
  auto config = load({}, {{"TURN_URLS", " turn:turn.example.com:3478?transport=udp , turns:turn.example.com:5349 "},
                          {"TURN_SECRET", turnSecret},
                          {"TURN_CREDENTIAL_TTL", "3600"}});
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->turnUrls,
            (std::vector<std::string>{"turn:turn.example.com:3478?transport=udp", "turns:turn.example.com:5349"}));
  EXPECT_EQ(config->turnSecret, turnSecret);
  EXPECT_EQ(config->turnCredentialTtlSeconds, 3600);
  // Default: no TURN, credentials for a day when it is configured.
  auto none = load();
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_TRUE(none->turnUrls.empty());
  EXPECT_EQ(none->turnCredentialTtlSeconds, 86400);
}

TEST_F(ConfigTest, TurnUrlsAndSecretTogether) {
  const std::string expected =
      "TURN_URLS and TURN_SECRET must be given together (TURN_SECRET is coturn's static-auth-secret)";
  EXPECT_EQ(loadError({"--turn-urls", "turn:127.0.0.1:3478"}), expected);
  EXPECT_EQ(loadError({}, {{"TURN_SECRET", std::string(40, 's')}}), expected);
  EXPECT_EQ(loadError({}, {{"TURN_URLS", " , "}, {"TURN_SECRET", std::string(40, 's')}}), expected);
}

TEST_F(ConfigTest, TurnUrlsValidated) {
  const Environment secret = {{"TURN_SECRET", std::string(40, 's')}};
  auto message = loadError({"--turn-urls", "turn:ok.example.com,turn://bad.example.com"}, secret);
  EXPECT_NE(message.find("TURN_URLS: 'turn://bad.example.com'"), std::string::npos) << message;
  EXPECT_NE(loadError({"--turn-urls", "stun:stun.example.com"}, secret).find("turn: or turns:"), std::string::npos);
  EXPECT_NE(loadError({"--turn-urls", "turn:host:70000"}, secret).find("port"), std::string::npos);
  EXPECT_NE(loadError({"--turn-urls", "turn:host:3478?transport=sctp"}, secret).find("transport"), std::string::npos);
  // A URL carrying a password is refused without being repeated.
  message = loadError({"--turn-urls", "turn:alice:hunter2@host:3478"}, secret);
  EXPECT_NE(message.find("TURN_URLS"), std::string::npos) << message;
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
}

TEST_F(ConfigTest, TurnSecretAndTtlChecked) {
  const std::vector<std::string> urls = {"--turn-urls", "turn:127.0.0.1:3478"};
  const std::string weak = "short-turn-secret";
  auto message = loadError(urls, {{"TURN_SECRET", weak}});
  EXPECT_NE(message.find("TURN_SECRET is too weak"), std::string::npos) << message;
  EXPECT_EQ(message.find(weak), std::string::npos) << "the secret must not be echoed: " << message;
  const Environment secret = {{"TURN_SECRET", std::string(32, 's')}};
  EXPECT_TRUE(load(urls, secret).ok());
  for (const char* ttl : {"59", "604801", "-1"}) {
    auto args = urls;
    args.insert(args.end(), {"--turn-credential-ttl", ttl});
    EXPECT_NE(loadError(args, secret).find("TURN_CREDENTIAL_TTL"), std::string::npos) << ttl;
  }
  EXPECT_FALSE(loadError({}, {{"TURN_CREDENTIAL_TTL", "a day"}}).empty());
  EXPECT_EQ(load({"--turn-credential-ttl", "60"})->turnCredentialTtlSeconds, 60);
  EXPECT_EQ(load({"--turn-credential-ttl", "604800"})->turnCredentialTtlSeconds, 604800);
}

TEST_F(ConfigTest, PublicUrlNeedsScheme) {
  EXPECT_EQ(loadError({"--public-url", "meet.example.com"}), "PUBLIC_URL must start with http:// or https://");
  EXPECT_EQ(loadError({"--public-url", "ftp://meet.example.com"}), "PUBLIC_URL must start with http:// or https://");
  EXPECT_EQ(load({"--public-url", "http://localhost:6001"})->publicUrl, "http://localhost:6001");
}

TEST_F(ConfigTest, OnlySqliteDatabases) {
  auto message = loadError({"--database-url", "postgres://db/fluxmeet"});
  EXPECT_NE(message.find("DATABASE_URL must be sqlite"), std::string::npos) << message;
  EXPECT_FALSE(loadError({}, {{"DATABASE_URL", "./fluxmeet.db"}}).empty());
  EXPECT_EQ(load({"--database-url", "sqlite://./a.db"})->databaseUrl, "sqlite://./a.db");
}

TEST_F(ConfigTest, MalformedEnvFileNamesFileAndLine) {
  writeEnvFile("PORT=7000\nnonsense\n");
  auto message = loadError({});
  EXPECT_EQ(message, envFile_ + ": env file line 2: expected KEY=VALUE");
}

TEST_F(ConfigTest, UnknownFlagRefused) { EXPECT_FALSE(loadError({"--no-such-flag"}).empty()); }

TEST_F(ConfigTest, HelpListsOptionsAndEnvironmentVariables) {
  auto message = loadError({"--help"});
  ASSERT_EQ(message.rfind("help:", 0), 0u) << message;
  const std::vector<std::pair<std::string, std::string>> options = {
      {"--dev", "FLUXMEET_DEV"},
      {"--env-file", "ENV_FILE"},
      {"--listen", "LISTEN_ADDRESS"},
      {"--port", "PORT"},
      {"--database-url", "DATABASE_URL"},
      {"--jwt-secret", "JWT_SECRET"},
      {"--public-url", "PUBLIC_URL"},
      {"--media-announced-ip", "MEDIA_ANNOUNCED_IP"},
      {"--media-udp-port", "MEDIA_UDP_PORT"},
      {"--media-tcp-port", "MEDIA_TCP_PORT"},
      {"--media-listen-ip", "MEDIA_LISTEN_IP"},
      {"--media-workers", "MEDIA_WORKERS"},
      {"--media-max-producer-bitrate", "MEDIA_MAX_PRODUCER_BITRATE"},
      {"--media-udp-gso", "MEDIA_UDP_GSO"},
      {"--http-threads", "HTTP_THREADS"},
      {"--turn-urls", "TURN_URLS"},
      {"--turn-secret", "TURN_SECRET"},
      {"--turn-credential-ttl", "TURN_CREDENTIAL_TTL"},
      {"--tls-cert", "TLS_CERT"},
      {"--tls-key", "TLS_KEY"},
      {"--log-level", "LOG_LEVEL"},
      {"--web-root", "WEB_ROOT"},
      {"--cors-origins", "CORS_ORIGINS"},
      {"--smtp-url", "SMTP_URL"},
      {"--smtp-from", "SMTP_FROM"},
      {"--login-attempts-per-minute", "LOGIN_ATTEMPTS_PER_MINUTE"},
      {"--password-hash-cost", "PASSWORD_HASH_COST"},
  };
  for (const auto& [flag, variable] : options) {
    EXPECT_NE(message.find(flag), std::string::npos) << flag;
    EXPECT_NE(message.find("(" + variable + ")"), std::string::npos) << variable;
  }
  EXPECT_EQ(loadError({"-h"}).rfind("help:", 0), 0u);
}

TEST_F(ConfigTest, DevGeneratesAndPersistsJwtSecret) {
  writeEnvFile("PORT=7000\n");
  auto config = load({"--dev"});
  ASSERT_TRUE(config.ok()) << config.error().message;
  ASSERT_TRUE(ensureJwtSecret(*config).ok());
  EXPECT_TRUE(config->generatedJwtSecret);
  EXPECT_GE(config->jwtSecret.size(), 32u);
  const std::string text = readEnvFile();
  EXPECT_EQ(text.rfind("PORT=7000\n", 0), 0u) << text;  // existing lines kept
  EXPECT_NE(text.find("\nJWT_SECRET=" + config->jwtSecret + "\n"), std::string::npos) << text;

  // The next start reads the same secret back and generates nothing.
  auto again = load({"--dev"});
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->jwtSecret, config->jwtSecret);
  EXPECT_EQ(again->port, 7000);
  ASSERT_TRUE(ensureJwtSecret(*again).ok());
  EXPECT_FALSE(again->generatedJwtSecret);
  EXPECT_EQ(readEnvFile(), text);
}

TEST_F(ConfigTest, DevSecretsDiffer) {
  auto first = load({"--dev"});
  auto second = load({"--dev", "--env-file", (dir_ / "second.env").string()});
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_TRUE(ensureJwtSecret(*first).ok());
  ASSERT_TRUE(ensureJwtSecret(*second).ok());
  EXPECT_NE(first->jwtSecret, second->jwtSecret);
}

TEST_F(ConfigTest, DevAppendsAfterAFileWithoutFinalNewline) {
  writeEnvFile("PORT=7000");  // hand-edited files often lack the final newline
  auto config = load({"--dev"});
  ASSERT_TRUE(config.ok());
  ASSERT_TRUE(ensureJwtSecret(*config).ok());
  auto again = load({"--dev"});
  ASSERT_TRUE(again.ok()) << again.error().message << "\n" << readEnvFile();
  EXPECT_EQ(again->port, 7000);
  EXPECT_EQ(again->jwtSecret, config->jwtSecret);
}

TEST_F(ConfigTest, ExistingSecretIsKept) {
  auto config = load({"--dev", "--jwt-secret", kSecret});
  ASSERT_TRUE(config.ok());
  ASSERT_TRUE(ensureJwtSecret(*config).ok());
  EXPECT_EQ(config->jwtSecret, kSecret);
  EXPECT_FALSE(config->generatedJwtSecret);
  EXPECT_FALSE(fs::exists(envFile_));  // nothing written
}

TEST_F(ConfigTest, ProductionWithoutSecretFails) {
  auto config = load();
  ASSERT_TRUE(config.ok());
  auto secured = ensureJwtSecret(*config);
  ASSERT_FALSE(secured.ok());
  EXPECT_NE(secured.error().message.find("JWT_SECRET"), std::string::npos) << secured.error().message;
  EXPECT_TRUE(config->jwtSecret.empty());
  EXPECT_FALSE(fs::exists(envFile_));
}

TEST_F(ConfigTest, DevFailsWhenEnvFileCannotBeWritten) {
  auto config = load({"--dev", "--env-file", (dir_ / "missing-dir" / "x.env").string()});
  ASSERT_TRUE(config.ok());
  auto secured = ensureJwtSecret(*config);
  ASSERT_FALSE(secured.ok());
  EXPECT_NE(secured.error().message.find("cannot write"), std::string::npos) << secured.error().message;
}

}  // namespace
}  // namespace fluxmeet::app
