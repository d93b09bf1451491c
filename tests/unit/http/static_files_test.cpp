#include "fluxmeet/http/static_files.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace fluxmeet::http {
namespace {

namespace fs = std::filesystem;

TEST(MimeTypeTest, KnownExtensions) {
  EXPECT_EQ(mimeTypeFor("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(mimeTypeFor("/assets/app-1a2b3c.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(mimeTypeFor("worker.mjs"), "text/javascript; charset=utf-8");
  EXPECT_EQ(mimeTypeFor("style.css"), "text/css; charset=utf-8");
  EXPECT_EQ(mimeTypeFor("data.json"), "application/json");
  EXPECT_EQ(mimeTypeFor("manifest.webmanifest"), "application/manifest+json");
  EXPECT_EQ(mimeTypeFor("logo.svg"), "image/svg+xml");
  EXPECT_EQ(mimeTypeFor("a.png"), "image/png");
  EXPECT_EQ(mimeTypeFor("a.jpg"), "image/jpeg");
  EXPECT_EQ(mimeTypeFor("a.jpeg"), "image/jpeg");
  EXPECT_EQ(mimeTypeFor("font.woff2"), "font/woff2");
  EXPECT_EQ(mimeTypeFor("vad.wasm"), "application/wasm");
  EXPECT_EQ(mimeTypeFor("app.js.map"), "application/json");
  EXPECT_EQ(mimeTypeFor("robots.txt"), "text/plain; charset=utf-8");
}

TEST(MimeTypeTest, UnknownIsOctetStream) {
  EXPECT_EQ(mimeTypeFor("archive.zip"), "application/octet-stream");
  EXPECT_EQ(mimeTypeFor("noextension"), "application/octet-stream");
  EXPECT_EQ(mimeTypeFor(".env"), "application/octet-stream");
}

void writeFile(const fs::path& file, const std::string& content) {
  fs::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary);
  out << content;
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("fluxmeet-static-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    // The served root is a subdirectory so that a file beside it can stand in for "outside the root".
    writeFile(root_ / "web" / "index.html", "<!doctype html>app");
    writeFile(root_ / "web" / "favicon.svg", "<svg/>");
    writeFile(root_ / "web" / "assets" / "app-1a2b3c.js", "console.log(1)");
    writeFile(root_ / "web" / "assets" / "app-1a2b3c.js.gz", "GZIPPED");
    writeFile(root_ / "web" / "assets" / "app-1a2b3c.js.br", "BROTLI");
    writeFile(root_ / "web" / "assets" / "style-9f8e.css", "body{}");
    writeFile(root_ / "web" / "assets" / "style-9f8e.css.gz", "GZCSS");
    writeFile(root_ / "web" / ".env", "JWT_SECRET=leaked");
    writeFile(root_ / "secret.txt", "outside the root");
    files_.emplace(root_ / "web");
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  std::optional<Response> get(const std::string& path, bhttp::verb method = bhttp::verb::get) {
    Request request;
    request.message.method(method);
    request.path = path;
    for (const auto& [name, value] : headers_) request.message.set(name, value);
    return files_->serve(request);
  }

  fs::path root_;
  std::optional<StaticFiles> files_;
  std::vector<std::pair<std::string, std::string>> headers_;
};

TEST_F(StaticFilesTest, RootServesIndex) {
  auto response = get("/");
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->result(), bhttp::status::ok);
  EXPECT_EQ(response->body(), "<!doctype html>app");
  EXPECT_EQ((*response)[bhttp::field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ((*response)[bhttp::field::cache_control], "no-cache");
  EXPECT_FALSE((*response)[bhttp::field::etag].empty());
}

TEST_F(StaticFilesTest, ServesPlainFile) {
  auto response = get("/favicon.svg");
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body(), "<svg/>");
  EXPECT_EQ((*response)[bhttp::field::content_type], "image/svg+xml");
  EXPECT_EQ((*response)[bhttp::field::cache_control], "no-cache");
}

TEST_F(StaticFilesTest, ClientRoutesFallBackToIndex) {
  for (const char* path : {"/meetings", "/m/abc-defg-hij", "/settings/profile"}) {
    auto response = get(path);
    ASSERT_TRUE(response.has_value()) << path;
    EXPECT_EQ(response->body(), "<!doctype html>app") << path;
    EXPECT_EQ((*response)[bhttp::field::cache_control], "no-cache") << path;
  }
}

TEST_F(StaticFilesTest, MissingFileIsNotFound) {
  EXPECT_FALSE(get("/assets/x.js").has_value());
  EXPECT_FALSE(get("/missing.png").has_value());
}

TEST_F(StaticFilesTest, OnlyGetAndHead) {
  EXPECT_FALSE(get("/favicon.svg", bhttp::verb::post).has_value());
  EXPECT_FALSE(get("/", bhttp::verb::delete_).has_value());
  EXPECT_TRUE(get("/favicon.svg", bhttp::verb::head).has_value());
}

TEST_F(StaticFilesTest, NeverServesOutsideTheRootOrHiddenFiles) {
  for (const char* path : {"/../secret.txt", "/assets/../../secret.txt", "/../etc/passwd", "/.env", "/./.env",
                           "/assets/..", "/..\\secret.txt", "//etc/passwd"}) {
    auto response = get(path);
    if (!response) continue;  // refused outright
    // Anything else may only be the app shell.
    EXPECT_EQ(response->body(), "<!doctype html>app") << path;
  }
  EXPECT_FALSE(get("/../secret.txt").has_value());  // has an extension, so no SPA fallback either
}

TEST_F(StaticFilesTest, HashedAssetsAreImmutable) {
  auto response = get("/assets/app-1a2b3c.js");
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body(), "console.log(1)");
  EXPECT_EQ((*response)[bhttp::field::content_type], "text/javascript; charset=utf-8");
  EXPECT_EQ((*response)[bhttp::field::cache_control], "public, max-age=31536000, immutable");
  EXPECT_EQ((*response)[bhttp::field::vary], "Accept-Encoding");
  EXPECT_TRUE((*response)[bhttp::field::content_encoding].empty());
}

TEST_F(StaticFilesTest, IfNoneMatchGives304) {
  auto first = get("/assets/app-1a2b3c.js");
  ASSERT_TRUE(first.has_value());
  std::string etag((*first)[bhttp::field::etag]);
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(etag.front(), '"');  // RFC 9110 section 8.8.3: an entity-tag is quoted
  EXPECT_EQ(etag.back(), '"');

  headers_ = {{"If-None-Match", etag}};
  auto revalidated = get("/assets/app-1a2b3c.js");
  ASSERT_TRUE(revalidated.has_value());
  EXPECT_EQ(revalidated->result(), bhttp::status::not_modified);
  EXPECT_TRUE(revalidated->body().empty());
  EXPECT_EQ((*revalidated)[bhttp::field::etag], etag);

  headers_ = {{"If-None-Match", "\"other\""}};
  auto changed = get("/assets/app-1a2b3c.js");
  ASSERT_TRUE(changed.has_value());
  EXPECT_EQ(changed->result(), bhttp::status::ok);
  EXPECT_EQ(changed->body(), "console.log(1)");
}

TEST_F(StaticFilesTest, GzipVariantOnlyWhenAccepted) {
  headers_ = {{"Accept-Encoding", "gzip, deflate"}};
  auto gz = get("/assets/style-9f8e.css");
  ASSERT_TRUE(gz.has_value());
  EXPECT_EQ(gz->body(), "GZCSS");
  EXPECT_EQ((*gz)[bhttp::field::content_encoding], "gzip");
  EXPECT_EQ((*gz)[bhttp::field::content_type], "text/css; charset=utf-8");  // type of the original

  headers_ = {{"Accept-Encoding", "deflate"}};
  auto plain = get("/assets/style-9f8e.css");
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->body(), "body{}");
  EXPECT_TRUE((*plain)[bhttp::field::content_encoding].empty());

  headers_.clear();
  EXPECT_EQ(get("/assets/style-9f8e.css")->body(), "body{}");

  // No variant on disk: the original even when gzip is accepted.
  headers_ = {{"Accept-Encoding", "gzip"}};
  auto noVariant = get("/favicon.svg");
  ASSERT_TRUE(noVariant.has_value());
  EXPECT_EQ(noVariant->body(), "<svg/>");
  EXPECT_TRUE((*noVariant)[bhttp::field::content_encoding].empty());
}

TEST_F(StaticFilesTest, BrotliPreferredOverGzip) {
  headers_ = {{"Accept-Encoding", "gzip, br"}};
  auto br = get("/assets/app-1a2b3c.js");
  ASSERT_TRUE(br.has_value());
  EXPECT_EQ(br->body(), "BROTLI");
  EXPECT_EQ((*br)[bhttp::field::content_encoding], "br");

  headers_ = {{"Accept-Encoding", "gzip"}};
  auto gz = get("/assets/app-1a2b3c.js");
  ASSERT_TRUE(gz.has_value());
  EXPECT_EQ(gz->body(), "GZIPPED");
}

TEST_F(StaticFilesTest, EachEncodingHasItsOwnEtag) {
  headers_ = {{"Accept-Encoding", "gzip"}};
  auto gz = get("/assets/style-9f8e.css");
  headers_.clear();
  auto plain = get("/assets/style-9f8e.css");
  ASSERT_TRUE(gz.has_value() && plain.has_value());
  EXPECT_NE((*gz)[bhttp::field::etag], (*plain)[bhttp::field::etag]);

  // Revalidating the gzip tag without accepting gzip must not get a 304 for the gzip body.
  headers_ = {{"If-None-Match", std::string((*gz)[bhttp::field::etag])}};
  auto revalidated = get("/assets/style-9f8e.css");
  ASSERT_TRUE(revalidated.has_value());
  EXPECT_EQ(revalidated->result(), bhttp::status::ok);
  EXPECT_EQ(revalidated->body(), "body{}");
}

TEST_F(StaticFilesTest, IfNoneMatchListsWeakTagsAndStar) {
  auto first = get("/favicon.svg");
  ASSERT_TRUE(first.has_value());
  std::string etag((*first)[bhttp::field::etag]);
  headers_ = {{"If-None-Match", "\"nope\", W/" + etag}};
  EXPECT_EQ(get("/favicon.svg")->result(), bhttp::status::not_modified);
  headers_ = {{"If-None-Match", "*"}};
  EXPECT_EQ(get("/favicon.svg")->result(), bhttp::status::not_modified);
  headers_ = {{"If-None-Match", "\"nope\", \"other\""}};
  EXPECT_EQ(get("/favicon.svg")->result(), bhttp::status::ok);
}

TEST_F(StaticFilesTest, ZeroWeightRefusesAnEncoding) {
  headers_ = {{"Accept-Encoding", "br;q=0, gzip;q=0.5"}};
  EXPECT_EQ(get("/assets/app-1a2b3c.js")->body(), "GZIPPED");
  headers_ = {{"Accept-Encoding", "gzip;q=0.0, br;q=0"}};
  EXPECT_EQ(get("/assets/app-1a2b3c.js")->body(), "console.log(1)");
  headers_ = {{"Accept-Encoding", "x-gzip-not"}};
  EXPECT_EQ(get("/assets/app-1a2b3c.js")->body(), "console.log(1)");
}

TEST_F(StaticFilesTest, MissingIndexMeansNothingToServe) {
  fs::remove(root_ / "web" / "index.html");
  EXPECT_FALSE(get("/").has_value());
  EXPECT_FALSE(get("/meetings").has_value());
}

}  // namespace
}  // namespace fluxmeet::http
