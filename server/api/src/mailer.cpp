#include "mailer.hpp"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <cstring>

namespace fluxmeet::api {
namespace {

class LogMailer final : public Mailer {
 public:
  explicit LogMailer(bool dev) : dev_(dev) {}
  Result<void> send(const MailMessage& message) override {
    if (dev_) {
      // Development only: there is no mail server, so the operator reads the message here.
      spdlog::info("mail (dev, not sent) to={} subject=\"{}\"\n{}", message.to, message.subject, message.body);
    } else {
      spdlog::warn("mail to {} not sent: SMTP_URL is not configured", message.to);
    }
    return {};
  }
  bool delivers() const override { return false; }

 private:
  bool dev_;
};

class SmtpMailer final : public Mailer {
 public:
  SmtpMailer(std::string url, std::string from) : url_(std::move(url)), from_(std::move(from)) {}

  Result<void> send(const MailMessage& message) override {
    std::string payload = "From: " + from_ + "\r\nTo: <" + message.to + ">\r\nSubject: " + message.subject +
                          "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + message.body + "\r\n";
    struct Source {
      const std::string* text;
      size_t offset = 0;
    } source{&payload};
    auto read = [](char* buffer, size_t size, size_t count, void* user) -> size_t {
      auto* src = static_cast<Source*>(user);
      size_t n = std::min(size * count, src->text->size() - src->offset);
      std::memcpy(buffer, src->text->data() + src->offset, n);
      src->offset += n;
      return n;
    };
    CURL* curl = curl_easy_init();
    if (!curl) return makeError(ErrorCode::Internal, "cannot initialise mail client");
    std::string fromAddress = from_;
    if (auto lt = fromAddress.find('<'); lt != std::string::npos) {
      fromAddress = fromAddress.substr(lt, fromAddress.find('>', lt) - lt + 1);
    } else {
      fromAddress = "<" + fromAddress + ">";
    }
    curl_slist* recipients = curl_slist_append(nullptr, ("<" + message.to + ">").c_str());
    curl_easy_setopt(curl, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, fromAddress.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, +read);
    curl_easy_setopt(curl, CURLOPT_READDATA, &source);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    CURLcode code = curl_easy_perform(curl);
    curl_slist_free_all(recipients);
    curl_easy_cleanup(curl);
    if (code != CURLE_OK) {
      // The URL may hold SMTP credentials: log only the error, never the URL.
      spdlog::error("mail to {} failed: {}", message.to, curl_easy_strerror(code));
      return makeError(ErrorCode::Unavailable, "mail delivery failed");
    }
    return {};
  }
  bool delivers() const override { return true; }

 private:
  std::string url_;
  std::string from_;
};

}  // namespace

std::unique_ptr<Mailer> makeMailer(const std::string& smtpUrl, const std::string& from, bool dev) {
  if (smtpUrl.empty()) return std::make_unique<LogMailer>(dev);
  return std::make_unique<SmtpMailer>(smtpUrl, from);
}

}  // namespace fluxmeet::api
