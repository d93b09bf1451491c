// Web Push settings (issue 9): VAPID keys optional but a real pair when given (and never echoed),
// the subject defaulting from PUBLIC_URL, the test-only PUSH_ALLOW_HTTP switch, the extra CA file.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <vector>

#include "fluxmeet/app/config.hpp"
#include "fluxmeet/push/vapid.hpp"

namespace fluxmeet::app {
namespace {

Result<Config> load(std::vector<std::string> flags, const Environment& environment = {}) {
  // A missing env file, so no stray ./.env is read.
  std::vector<std::string> args = {"fluxmeet", "--env-file", "/nonexistent/fluxmeet-push-test.env"};
  args.insert(args.end(), flags.begin(), flags.end());
  std::vector<const char*> argv;
  for (const auto& arg : args) argv.push_back(arg.c_str());
  argv.push_back(nullptr);
  return loadConfig(static_cast<int>(args.size()), argv.data(), environment);
}

TEST(PushConfig, Defaults) {
  auto config = load({});
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_TRUE(config->vapidPrivateKey.empty());
  EXPECT_EQ(config->vapidSubject, "mailto:admin@localhost");
  EXPECT_FALSE(config->pushAllowHttp);
  EXPECT_EQ(config->pushSchedulerIntervalMs, 30000);
  auto withUrl = load({}, {{"PUBLIC_URL", "https://meet.example.com:8443/"}});
  ASSERT_TRUE(withUrl.ok());
  EXPECT_EQ(withUrl->vapidSubject, "mailto:admin@meet.example.com");
}

TEST(PushConfig, FromEnvironmentAndFlags) {
  auto keys = push::VapidKeys::generate();
  ASSERT_TRUE(keys.ok());
  auto config = load({"--push-scheduler-interval-ms", "250"},
                     {{"VAPID_PRIVATE_KEY", keys->privateKeyBase64Url()},
                      {"VAPID_PUBLIC_KEY", keys->publicKeyBase64Url()},
                      {"VAPID_SUBJECT", "https://meet.example.com/contact"},
                      {"PUSH_ALLOW_HTTP", "1"},
                      {"PUSH_SCHEDULER_INTERVAL_MS", "1000"}});
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->vapidPrivateKey, keys->privateKeyBase64Url());
  EXPECT_EQ(config->vapidSubject, "https://meet.example.com/contact");
  EXPECT_TRUE(config->pushAllowHttp);
  EXPECT_EQ(config->pushSchedulerIntervalMs, 250);
  EXPECT_FALSE(load({}, {{"PUSH_ALLOW_HTTP", "0"}})->pushAllowHttp);
  EXPECT_TRUE(load({"--push-allow-http"})->pushAllowHttp);
}

TEST(PushConfig, BadValuesAreOneClearLineWithoutTheKey) {
  auto other = push::VapidKeys::generate();
  auto keys = push::VapidKeys::generate();
  ASSERT_TRUE(other.ok() && keys.ok());
  const std::string privateKey = keys->privateKeyBase64Url();
  auto mismatched = load({}, {{"VAPID_PRIVATE_KEY", privateKey}, {"VAPID_PUBLIC_KEY", other->publicKeyBase64Url()}});
  ASSERT_FALSE(mismatched.ok());
  EXPECT_NE(mismatched.error().message.find("VAPID_PRIVATE_KEY"), std::string::npos);
  EXPECT_EQ(mismatched.error().message.find(privateKey), std::string::npos);
  EXPECT_EQ(mismatched.error().message.find('\n'), std::string::npos);
  auto garbage = load({}, {{"VAPID_PRIVATE_KEY", "not-a-key"}});
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.error().message.find("not-a-key"), std::string::npos);
  EXPECT_FALSE(load({}, {{"VAPID_PUBLIC_KEY", keys->publicKeyBase64Url()}}).ok());
  EXPECT_FALSE(load({}, {{"VAPID_SUBJECT", "admin@example.com"}}).ok());
  EXPECT_FALSE(load({}, {{"PUSH_SCHEDULER_INTERVAL_MS", "10"}}).ok());
}

TEST(PushConfig, CaFileFromEnvironmentOrFlagMustExist) {
  EXPECT_TRUE(load({})->pushCaFile.empty());
  const std::filesystem::path file =
      std::filesystem::temp_directory_path() / ("fluxmeet-push-ca-" + std::to_string(::getpid()) + ".pem");
  std::ofstream(file) << "-----BEGIN CERTIFICATE-----\n";
  auto fromEnv = load({}, {{"PUSH_CA_FILE", file.string()}});
  ASSERT_TRUE(fromEnv.ok()) << fromEnv.error().message;
  EXPECT_EQ(fromEnv->pushCaFile, file.string());
  auto fromFlag = load({"--push-ca-file", file.string()}, {{"PUSH_CA_FILE", "/elsewhere.pem"}});
  ASSERT_TRUE(fromFlag.ok()) << fromFlag.error().message;
  EXPECT_EQ(fromFlag->pushCaFile, file.string());
  std::filesystem::remove(file);
  auto missing = load({"--push-ca-file", "/nonexistent/fluxmeet-ca.pem"});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("PUSH_CA_FILE"), std::string::npos);
}

TEST(PushConfig, HelpNamesTheSettings) {
  auto help = load({"--help"});
  ASSERT_FALSE(help.ok());
  for (const char* name : {"VAPID_PUBLIC_KEY", "VAPID_PRIVATE_KEY", "VAPID_SUBJECT", "PUSH_ALLOW_HTTP",
                           "PUSH_SCHEDULER_INTERVAL_MS", "PUSH_CA_FILE", "--push-ca-file"}) {
    EXPECT_NE(help.error().message.find(name), std::string::npos) << name;
  }
}

}  // namespace
}  // namespace fluxmeet::app
