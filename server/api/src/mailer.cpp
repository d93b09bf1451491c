#include "mailer.hpp"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <cstring>

#include "fluxmeet/common/encoding.hpp"

namespace fluxmeet::api {
namespace {

// RFC 4648 section 4 (with padding), as MIME wants it.
std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    const size_t n = std::min<size_t>(3, bytes.size() - i);
    uint32_t chunk = 0;
    for (size_t j = 0; j < 3; ++j) chunk = (chunk << 8) | (j < n ? static_cast<unsigned char>(bytes[i + j]) : 0U);
    for (size_t j = 0; j < 4; ++j) out += j <= n ? kAlphabet[(chunk >> (18 - 6 * j)) & 0x3F] : '=';
  }
  return out;
}

std::string base64Lines(std::string_view bytes) {
  const std::string encoded = base64(bytes);
  std::string out;
  for (size_t i = 0; i < encoded.size(); i += 76) out += encoded.substr(i, 76) + "\r\n";
  return out;
}

// A header value from user text (a meeting title): one line, and an RFC 2047 encoded word when it
// is not plain ASCII.
std::string headerText(const std::string& text) {
  std::string line;
  bool ascii = true;
  for (char c : text) {
    if (c == '\r' || c == '\n') {
      line += ' ';
      continue;
    }
    if (static_cast<unsigned char>(c) >= 0x80) ascii = false;
    line += c;
  }
  if (ascii) return line;
  // Encoded words are at most 75 characters (RFC 2047 section 2): 45 bytes each, cut between
  // UTF-8 sequences, on folded lines.
  std::string out;
  size_t start = 0;
  while (start < line.size()) {
    size_t end = std::min(line.size(), start + 45);
    while (end < line.size() && (static_cast<unsigned char>(line[end]) & 0xC0) == 0x80) --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(std::string_view(line).substr(start, end - start)) + "?=";
    start = end;
  }
  return out;
}

// SMTP lines end in CRLF (RFC 5321 section 2.3.8); the texts here are written with "\n".
std::string crlfLines(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out += '\r';
    out += text[i];
  }
  return out;
}

}  // namespace

std::string formatMailMessage(const MailMessage& message, const std::string& from, const std::string& boundary) {
  std::string out = "From: " + from + "\r\nTo: <" + message.to + ">\r\nSubject: " + headerText(message.subject) +
                    "\r\nMIME-Version: 1.0\r\n";
  if (message.attachments.empty()) {
    return out + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + crlfLines(message.body) + "\r\n";
  }
  out += "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n";
  out += "--" + boundary + "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + crlfLines(message.body) + "\r\n";
  for (const MailAttachment& attachment : message.attachments) {
    out += "--" + boundary + "\r\nContent-Type: " + attachment.contentType +
           "\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"" +
           attachment.fileName + "\"\r\n\r\n" + base64Lines(attachment.content);
  }
  return out + "--" + boundary + "--\r\n";
}

namespace {

class LogMailer final : public Mailer {
 public:
  explicit LogMailer(bool dev) : dev_(dev) {}
  Result<void> send(const MailMessage& message) override {
    if (dev_) {
      // Development only: there is no mail server, so the operator reads the message here.
      spdlog::info("mail (dev, not sent) to={} subject=\"{}\" attachments={}\n{}", message.to, message.subject,
                   message.attachments.size(), message.body);
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
    std::string payload = formatMailMessage(message, from_, "=_fluxmeet_" + randomToken(18));
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
