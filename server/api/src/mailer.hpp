#pragma once
// Outgoing mail. SMTP delivery (libcurl) blocks, so callers run send() on the blocking pool.
#include <memory>
#include <string>

#include "fluxmeet/common/result.hpp"

namespace fluxmeet::api {

struct MailMessage {
  std::string to;
  std::string subject;
  std::string body;
};

class Mailer {
 public:
  virtual ~Mailer() = default;
  virtual Result<void> send(const MailMessage& message) = 0;
  virtual bool delivers() const = 0;  // false: messages only go to the log (development)
};

// smtpUrl empty: a mailer that logs messages when dev is set and drops them (with a warning) otherwise.
std::unique_ptr<Mailer> makeMailer(const std::string& smtpUrl, const std::string& from, bool dev);

}  // namespace fluxmeet::api
