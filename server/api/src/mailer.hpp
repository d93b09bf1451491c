#pragma once
// Outgoing mail. SMTP delivery (libcurl) blocks, so callers run send() on the blocking pool.
#include <memory>
#include <string>
#include <vector>

#include "fluxmeet/common/result.hpp"

namespace fluxmeet::api {

struct MailAttachment {
  std::string fileName;     // ASCII, no quotes
  std::string contentType;  // "text/calendar; charset=utf-8; method=PUBLISH"
  std::string content;
};

struct MailMessage {
  std::string to;
  std::string subject;
  std::string body;  // plain text, UTF-8
  std::vector<MailAttachment> attachments;
};

// The RFC 5322 message as sent: headers (a non-ASCII subject as an RFC 2047 encoded word, line
// breaks in it removed), then the text alone or, with attachments, a multipart/mixed body
// (RFC 2046 section 5.1.3) whose attachments are base64 (RFC 2045 section 6.8) in 76-character lines.
// `boundary` must not occur in the message (the caller makes a random one).
std::string formatMailMessage(const MailMessage& message, const std::string& from, const std::string& boundary);

class Mailer {
 public:
  virtual ~Mailer() = default;
  virtual Result<void> send(const MailMessage& message) = 0;
  virtual bool delivers() const = 0;  // false: messages only go to the log (development)
};

// smtpUrl empty: a mailer that logs messages when dev is set and drops them (with a warning) otherwise.
std::unique_ptr<Mailer> makeMailer(const std::string& smtpUrl, const std::string& from, bool dev);

}  // namespace fluxmeet::api
