#pragma once
// RecordingService: what recording needs from the process - the directory recordings go under
// and the one RecordingWriter thread every meeting's files share, started by the first recording.
// Owned by the signaling wiring (it must outlive the RoomRegistry and so every Room's recording).
// Threading: the control thread.
#include <memory>
#include <string>

#include "fluxmeet/record/recording_writer.hpp"

namespace fluxmeet::meeting {

class RecordingService {
 public:
  // `rootDir`: recordings go to <rootDir>/<meeting code>/<start time>/.
  explicit RecordingService(std::string rootDir) : rootDir_(std::move(rootDir)) {}

  const std::string& rootDir() const { return rootDir_; }
  record::RecordingWriter& writer() {
    if (!writer_) writer_ = std::make_unique<record::RecordingWriter>();
    return *writer_;
  }
  bool writerStarted() const { return writer_ != nullptr; }

 private:
  std::string rootDir_;
  std::unique_ptr<record::RecordingWriter> writer_;
};

}  // namespace fluxmeet::meeting
