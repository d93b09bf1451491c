// The VAPID key file: created once with mode 0600, the same keys on every later start, and a
// damaged file refused instead of replaced (that would orphan every subscription).
#include "fluxmeet/notify/vapid_key_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

namespace fluxmeet::notify {
namespace {

class VapidKeyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("fluxmeet-vapid-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(VapidKeyFileTest, GeneratedOnceThenReused) {
  const auto file = dir_ / "data" / "vapid.json";
  auto first = loadOrCreateVapidKeys(file);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_TRUE(first->generated);
  struct stat info {};
  ASSERT_EQ(::stat(file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  auto second = loadOrCreateVapidKeys(file);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_FALSE(second->generated);
  EXPECT_EQ(second->keys.publicKeyBase64Url(), first->keys.publicKeyBase64Url());
  EXPECT_EQ(second->keys.publicKeyBase64Url().size(), 87u);
  EXPECT_FALSE(std::filesystem::exists(file.string() + ".tmp"));
}

TEST_F(VapidKeyFileTest, ADamagedFileIsAnErrorWithoutTheKey) {
  std::filesystem::create_directories(dir_);
  const auto file = dir_ / "vapid.json";
  {
    std::ofstream out(file);
    out << R"({"publicKey": "x", "privateKey": "not-a-key-at-all"})";
  }
  auto loaded = loadOrCreateVapidKeys(file);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().message.find("not-a-key-at-all"), std::string::npos);
  {
    std::ofstream out(file);
    out << "{";
  }
  EXPECT_FALSE(loadOrCreateVapidKeys(file).ok());
}

}  // namespace
}  // namespace fluxmeet::notify
